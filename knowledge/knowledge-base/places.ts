/**
 * Mexican places people ask about ("¿tienen sucursal por Polanco?", "¿en León?", "cerca de
 * Satélite"): states, cities, metropolitan municipalities, Mexico City boroughs and well-known
 * zones, with approximate coordinates. General geography only: which of them have a Kavak sede is
 * sedes.yaml's business. Longer names win ("nuevo leon" over "leon", "san pedro garza garcia" over
 * "san pedro"), so León (Guanajuato) is never Nuevo León. A name several places share ("del
 * valle", "tec", "av revolucion") is read by the other places of the message (findPlaces); names
 * that are everyday words or common surnames alone ("iguala", "minerva", "salamanca") are only
 * listed in a longer form ("iguala guerrero"). Coordinates are approximate (town centres from
 * INEGI's locality catalogue, colonias and landmarks within a kilometre or two): they only order
 * sedes by distance. Pure.
 */
import { editDistance } from "../../lib/edit-distance.ts";
import { normalizeText } from "./query-analysis.ts";

export type PlaceKind = "metro" | "state" | "zone" | "city";

export interface Place {
  /** Display name. */
  readonly name: string;
  readonly kind: PlaceKind;
  /** State (or Ciudad de México) the place is in. */
  readonly state: string;
  /** For metros and zones inside a metro with sedes: that metro's id (sedes.yaml). */
  readonly metro: string | undefined;
  readonly coordinates: readonly [number, number];
  /** The names people use for it, normalized. */
  readonly aliases: ReadonlyArray<string>;
  /**
   * Those of its names that other places share ("del valle", "tec"): they name it only when the
   * message names another place in its metro or state (findPlaces). Marked "?" in the table.
   */
  readonly contextual: ReadonlyArray<string>;
}

// name | aliases (comma; "?" before a name that other places share: see Place.contextual) | kind | state | metro | lat | lon
// Lines starting with "#" are comments.
const TABLE = `
# Metros with sedes, states with a sede and Estado de México
Ciudad de México|cdmx,ciudad de mexico,df,d f,mexico df,distrito federal,chilangolandia,zona metropolitana del valle de mexico|metro|Ciudad de México|cdmx|19.4326|-99.1332
Monterrey|monterrey,mty,monterey,zona metropolitana de monterrey,area metropolitana de monterrey,sultana del norte,la sultana del norte,monterrey nuevo leon,monterrey nl|metro|Nuevo León|monterrey|25.6866|-100.3161
Nuevo León|nuevo leon,nl,n l,estado de nuevo leon|metro|Nuevo León|monterrey|25.6866|-100.3161
Guadalajara|guadalajara,gdl,guanatos,zmg,tapatia,perla tapatia,la perla tapatia,guadalajara jalisco,zona metropolitana de guadalajara|metro|Jalisco|guadalajara|20.6597|-103.3496
Jalisco|jalisco,estado de jalisco|metro|Jalisco|guadalajara|20.6597|-103.3496
Puebla|puebla,puebla de zaragoza,heroica puebla de zaragoza,estado de puebla|metro|Puebla|puebla|19.0414|-98.2063
Querétaro|queretaro,qro,queretero,santiago de queretaro,estado de queretaro|metro|Querétaro|queretaro|20.5888|-100.3899
Cuernavaca|cuernavaca,cuerna,ciudad de la eterna primavera,la eterna primavera|metro|Morelos|cuernavaca|18.9242|-99.2216
Morelos|morelos,estado de morelos|metro|Morelos|cuernavaca|18.9242|-99.2216
Estado de México|estado de mexico,edomex,edo mex,edo de mex,edo de mexico,estado de mex|state|Estado de México||19.35|-99.63
# Mexico City: boroughs (alcaldías)
Miguel Hidalgo|miguel hidalgo|zone|Ciudad de México|cdmx|19.4326|-99.2
Álvaro Obregón|alvaro obregon|zone|Ciudad de México|cdmx|19.359|-99.203
Azcapotzalco|azcapotzalco,azcapo,centro de azcapotzalco,uam azcapotzalco|zone|Ciudad de México|cdmx|19.4869|-99.1836
Gustavo A. Madero|gustavo a madero,gam,la gam|zone|Ciudad de México|cdmx|19.482|-99.113
Cuauhtémoc|cuauhtemoc,alcaldia cuauhtemoc,delegacion cuauhtemoc|zone|Ciudad de México|cdmx|19.4326|-99.1514
Benito Juárez|benito juarez,alcaldia benito juarez,delegacion benito juarez|zone|Ciudad de México|cdmx|19.372|-99.158
Coyoacán|coyoacan,centro de coyoacan,coyoacan centro,metro coyoacan|zone|Ciudad de México|cdmx|19.35|-99.162
Tlalpan|tlalpan,centro de tlalpan,tlalpan centro|zone|Ciudad de México|cdmx|19.2965|-99.1679
Xochimilco|xochimilco,centro de xochimilco,cuemanco,embarcadero de cuemanco|zone|Ciudad de México|cdmx|19.2572|-99.1029
Iztapalapa|iztapalapa,cerro de la estrella,metro constitucion de 1917|zone|Ciudad de México|cdmx|19.3574|-99.0671
Iztacalco|iztacalco|zone|Ciudad de México|cdmx|19.3953|-99.0979
Venustiano Carranza|venustiano carranza,san lazaro,metro san lazaro,terminal tapo,jardin balbuena|zone|Ciudad de México|cdmx|19.4303|-99.0995
Tláhuac|tlahuac,metro tlahuac|zone|Ciudad de México|cdmx|19.2864|-99.0045
Milpa Alta|milpa alta|zone|Ciudad de México|cdmx|19.1925|-99.0231
Magdalena Contreras|magdalena contreras,la magdalena contreras,contreras|zone|Ciudad de México|cdmx|19.3021|-99.2436
Cuajimalpa|cuajimalpa,cuajimalpa de morelos|zone|Ciudad de México|cdmx|19.357|-99.299
# Mexico City: colonias, zones and landmarks
Polanco|polanco,nuevo polanco,polanquito,plaza carso,metro polanco,metro auditorio,auditorio nacional,presidente masaryk,masaryk|zone|Ciudad de México|cdmx|19.433|-99.197
Anzures|anzures,colonia anzures|zone|Ciudad de México|cdmx|19.429|-99.178
Bosque de Chapultepec|chapultepec,bosque de chapultepec,castillo de chapultepec,metro chapultepec,av chapultepec,avenida chapultepec|zone|Ciudad de México|cdmx|19.4204|-99.1819
Lomas de Chapultepec|lomas de chapultepec,las lomas,lomas virreyes|zone|Ciudad de México|cdmx|19.425|-99.215
Bosques de las Lomas|bosques de las lomas|zone|Ciudad de México|cdmx|19.405|-99.245
Santa Fe|santa fe,centro santa fe,zedec santa fe,santa fe cdmx|zone|Ciudad de México|cdmx|19.3597|-99.2597
Universidad Iberoamericana|ibero,la ibero,universidad iberoamericana,ibero santa fe|zone|Ciudad de México|cdmx|19.3702|-99.2642
Tec de Monterrey, campus Santa Fe|tec santa fe,tec de monterrey santa fe,tec campus santa fe,tec csf|zone|Ciudad de México|cdmx|19.359|-99.259
Observatorio|observatorio,metro observatorio|zone|Ciudad de México|cdmx|19.398|-99.2
Tacubaya|tacubaya,metro tacubaya|zone|Ciudad de México|cdmx|19.402|-99.187
San Pedro de los Pinos|san pedro de los pinos,metro san pedro de los pinos|zone|Ciudad de México|cdmx|19.3905|-99.1855
Escandón|escandon,colonia escandon|zone|Ciudad de México|cdmx|19.403|-99.178
Pedregal|pedregal,jardines del pedregal,pedregal de san angel|zone|Ciudad de México|cdmx|19.315|-99.205
San Ángel|san angel,san angel inn|zone|Ciudad de México|cdmx|19.347|-99.19
Chimalistac|chimalistac|zone|Ciudad de México|cdmx|19.349|-99.184
Guadalupe Inn|guadalupe inn|zone|Ciudad de México|cdmx|19.361|-99.187
Tizapán|tizapan,progreso tizapan,itam|zone|Ciudad de México|cdmx|19.339|-99.205
San Jerónimo|san jeronimo,san jeronimo lidice|zone|Ciudad de México|cdmx|19.327|-99.218
Olivar de los Padres|olivar de los padres,anahuac sur,universidad anahuac sur|zone|Ciudad de México|cdmx|19.333|-99.222
Las Águilas (Álvaro Obregón)|?las aguilas,?colonia las aguilas|zone|Ciudad de México|cdmx|19.355|-99.207
Mixcoac|mixcoac,metro mixcoac,barranca del muerto,metro barranca del muerto|zone|Ciudad de México|cdmx|19.375|-99.187
Avenida Revolución (Ciudad de México)|?revolucion,?av revolucion,?avenida revolucion|zone|Ciudad de México|cdmx|19.375|-99.189
Del Valle|del valle,colonia del valle,col del valle,la del valle,del valle centro,del valle sur,del valle norte,metro zapata|zone|Ciudad de México|cdmx|19.381|-99.167
Nápoles|napoles,wtc,world trade center,parque hundido|zone|Ciudad de México|cdmx|19.393|-99.177
Insurgentes Sur|insurgentes sur,av insurgentes sur,avenida insurgentes sur|zone|Ciudad de México|cdmx|19.37|-99.179
Insurgentes Norte|insurgentes norte,av insurgentes norte,avenida insurgentes norte|zone|Ciudad de México|cdmx|19.472|-99.138
Glorieta de Insurgentes|glorieta de insurgentes,glorieta insurgentes,metro insurgentes|zone|Ciudad de México|cdmx|19.4235|-99.163
Mítikah|mitikah,xoco|zone|Ciudad de México|cdmx|19.3705|-99.1765
Plaza Universidad|plaza universidad|zone|Ciudad de México|cdmx|19.3673|-99.1666
Parque Delta|parque delta|zone|Ciudad de México|cdmx|19.4025|-99.1555
Viaducto|viaducto,viaducto miguel aleman|zone|Ciudad de México|cdmx|19.401|-99.15
Narvarte|narvarte,narvarte poniente,narvarte oriente,metro etiopia,metro eugenia|zone|Ciudad de México|cdmx|19.391|-99.156
Álamos (Benito Juárez)|?alamos,?colonia alamos|zone|Ciudad de México|cdmx|19.397|-99.141
Portales|portales,colonia portales,metro portales,metro ermita|zone|Ciudad de México|cdmx|19.368|-99.146
Churubusco|churubusco,rio churubusco,estudios churubusco,metro general anaya|zone|Ciudad de México|cdmx|19.355|-99.15
Taxqueña|taxquena,tasquena,metro taxquena,metro tasquena,terminal taxquena,central del sur|zone|Ciudad de México|cdmx|19.3439|-99.1395
Ciudad Universitaria (UNAM)|ciudad universitaria,cu,unam,la unam,cu unam,metro universidad,metro cu|zone|Ciudad de México|cdmx|19.325|-99.185
Copilco|copilco,metro copilco|zone|Ciudad de México|cdmx|19.336|-99.177
Perisur|perisur,plaza perisur|zone|Ciudad de México|cdmx|19.3045|-99.1905
Cuicuilco|cuicuilco,plaza cuicuilco|zone|Ciudad de México|cdmx|19.3015|-99.1815
Periférico Sur|periferico sur,anillo periferico sur|zone|Ciudad de México|cdmx|19.305|-99.2
Santa Úrsula|santa ursula,santa ursula coapa,estadio azteca|zone|Ciudad de México|cdmx|19.308|-99.15
Coapa|coapa,villa coapa,la coapa,galerias coapa,hacienda coapa,ex hacienda coapa|zone|Ciudad de México|cdmx|19.298|-99.126
Tec de Monterrey, campus Ciudad de México|tec ccm,tec de monterrey ccm,tec campus ciudad de mexico,tec campus cdmx,huipulco|zone|Ciudad de México|cdmx|19.2836|-99.136
Ajusco|ajusco,el ajusco,ajusco medio,san miguel ajusco,picacho ajusco|zone|Ciudad de México|cdmx|19.24|-99.205
Culhuacán|culhuacan,san francisco culhuacan,ctm culhuacan,esime culhuacan|zone|Ciudad de México|cdmx|19.334|-99.115
Central de Abasto|central de abasto,central de abastos|zone|Ciudad de México|cdmx|19.3725|-99.0905
Santa Martha Acatitla|santa martha,santa martha acatitla,santa marta acatitla,metro santa martha|zone|Ciudad de México|cdmx|19.36|-99.015
Agrícola Oriental|agricola oriental|zone|Ciudad de México|cdmx|19.396|-99.07
Pantitlán|pantitlan,metro pantitlan|zone|Ciudad de México|cdmx|19.4155|-99.072
Santa Anita (Iztacalco)|?santa anita,metro santa anita|zone|Ciudad de México|cdmx|19.403|-99.121
Ciudad Deportiva|ciudad deportiva,magdalena mixhuca,autodromo hermanos rodriguez,foro sol,estadio gnp,palacio de los deportes|zone|Ciudad de México|cdmx|19.404|-99.09
Aeropuerto de la Ciudad de México (AICM)|aicm,aeropuerto cdmx,aeropuerto de la cdmx,aeropuerto de la ciudad de mexico,aeropuerto benito juarez,aeropuerto internacional benito juarez,aeropuerto del df,terminal aerea,metro terminal aerea,?aeropuerto|zone|Ciudad de México|cdmx|19.4361|-99.0719
Roma|colonia roma,col roma,la roma,roma norte,roma sur,colonia roma norte,colonia roma sur|zone|Ciudad de México|cdmx|19.415|-99.162
Condesa|condesa,la condesa,colonia condesa,hipodromo condesa,colonia hipodromo|zone|Ciudad de México|cdmx|19.411|-99.174
Juárez|colonia juarez,col juarez,zona rosa|zone|Ciudad de México|cdmx|19.427|-99.16
Paseo de la Reforma|paseo de la reforma,av reforma,avenida reforma,angel de la independencia|zone|Ciudad de México|cdmx|19.427|-99.1677
Centro Médico|centro medico siglo xxi,centro medico nacional,metro centro medico|zone|Ciudad de México|cdmx|19.4065|-99.1545
Doctores|colonia doctores,col doctores,la doctores,metro doctores|zone|Ciudad de México|cdmx|19.418|-99.146
Centro Histórico|centro historico,zocalo,centro de la cdmx,centro cdmx,centro de la ciudad de mexico,bellas artes,alameda central,metro zocalo,metro bellas artes,metro hidalgo,metro pino suarez,garibaldi,plaza garibaldi,la merced|zone|Ciudad de México|cdmx|19.4326|-99.1332
Tepito|tepito,metro tepito|zone|Ciudad de México|cdmx|19.447|-99.125
Colonia Guerrero|colonia guerrero,col guerrero,la guerrero|zone|Ciudad de México|cdmx|19.443|-99.146
Buenavista|buenavista,metro buenavista,estacion buenavista,forum buenavista|zone|Ciudad de México|cdmx|19.4465|-99.152
Santa María la Ribera|santa maria la ribera,santa maria la rivera|zone|Ciudad de México|cdmx|19.451|-99.158
Tlatelolco|tlatelolco,nonoalco tlatelolco,plaza de las tres culturas,metro tlatelolco|zone|Ciudad de México|cdmx|19.451|-99.137
La Raza|metro la raza,hospital la raza|zone|Ciudad de México|cdmx|19.4696|-99.1366
Tacuba|tacuba,metro tacuba|zone|Ciudad de México|cdmx|19.459|-99.188
Clavería|claveria,colonia claveria|zone|Ciudad de México|cdmx|19.468|-99.185
San Pedro Xalpa|san pedro xalpa|zone|Ciudad de México|cdmx|19.487|-99.21
El Rosario|el rosario,metro el rosario|zone|Ciudad de México|cdmx|19.505|-99.2
Vallejo|industrial vallejo,colonia vallejo,calzada vallejo,metro vallejo|zone|Ciudad de México|cdmx|19.49|-99.156
Magdalena de las Salinas|magdalena de las salinas|zone|Ciudad de México|cdmx|19.487|-99.137
Lindavista|lindavista,linda vista,plaza lindavista,metro lindavista,parque lindavista|zone|Ciudad de México|cdmx|19.4871|-99.1293
Metro Politécnico|metro politecnico,zacatenco,ipn,ipn zacatenco,el poli,politecnico,instituto politecnico nacional,esime zacatenco,ticoman|zone|Ciudad de México|cdmx|19.5005|-99.149
Indios Verdes|indios verdes,metro indios verdes|zone|Ciudad de México|cdmx|19.4955|-99.1196
La Villa|la villa,basilica,basilica de guadalupe,tepeyac,metro la villa,martin carrera,metro martin carrera|zone|Ciudad de México|cdmx|19.484|-99.117
Cuautepec|cuautepec,cuautepec barrio alto,cuautepec barrio bajo|zone|Ciudad de México|cdmx|19.545|-99.14
Aragón|aragon,san juan de aragon,bosque de aragon,metro aragon|zone|Ciudad de México|cdmx|19.462|-99.08
# Estado de México, metropolitan area of Mexico City
Interlomas|interlomas|zone|Estado de México|cdmx|19.398|-99.273
Universidad Anáhuac (campus Norte)|universidad anahuac,anahuac norte,universidad anahuac norte,la anahuac,lomas anahuac|zone|Estado de México|cdmx|19.404|-99.266
Huixquilucan|huixquilucan|zone|Estado de México|cdmx|19.36|-99.35
Tecamachalco|tecamachalco,lomas de tecamachalco|zone|Estado de México|cdmx|19.4245|-99.2345
Cuatro Caminos|cuatro caminos,metro cuatro caminos,toreo,plaza toreo,toreo parque central|zone|Estado de México|cdmx|19.4594|-99.2155
Naucalpan|naucalpan,naucalpan de juarez,centro de naucalpan|zone|Estado de México|cdmx|19.4785|-99.2396
Echegaray|echegaray|zone|Estado de México|cdmx|19.4905|-99.231
Satélite|satelite,ciudad satelite,cd satelite,plaza satelite,torres de satelite|zone|Estado de México|cdmx|19.507|-99.235
Lomas Verdes|lomas verdes|zone|Estado de México|cdmx|19.513|-99.262
Mundo E|mundo e,plaza mundo e|zone|Estado de México|cdmx|19.527|-99.226
Tlalnepantla|tlalnepantla,tlalnepantla de baz,tlalne|zone|Estado de México|cdmx|19.5402|-99.195
San Andrés Atenco|san andres atenco|zone|Estado de México|cdmx|19.538|-99.21
Valle Dorado|valle dorado|zone|Estado de México|cdmx|19.553|-99.207
Arboledas|arboledas,las arboledas|zone|Estado de México|cdmx|19.55|-99.222
Atizapán|atizapan,atizapan de zaragoza,ciudad lopez mateos,cd lopez mateos,zona esmeralda|zone|Estado de México|cdmx|19.5597|-99.2675
Tec de Monterrey, campus Estado de México|tec cem,tec estado de mexico,tec de monterrey estado de mexico,tec campus estado de mexico|zone|Estado de México|cdmx|19.5935|-99.227
Nicolás Romero|nicolas romero,ciudad nicolas romero|zone|Estado de México|cdmx|19.6257|-99.3159
Cuautitlán Izcalli|cuautitlan izcalli,izcalli|zone|Estado de México|cdmx|19.6469|-99.2465
Perinorte|perinorte,plaza perinorte|zone|Estado de México|cdmx|19.6145|-99.1955
Cuautitlán|cuautitlan|zone|Estado de México|cdmx|19.67|-99.18
Tultitlán|tultitlan,buenavista tultitlan,tultitlan de mariano escobedo|zone|Estado de México|cdmx|19.645|-99.169
Tultepec|tultepec|zone|Estado de México|cdmx|19.6855|-99.1286
Tepotzotlán|tepotzotlan|zone|Estado de México|cdmx|19.7138|-99.2235
Teoloyucan|teoloyucan|zone|Estado de México|cdmx|19.7455|-99.1831
Huehuetoca|huehuetoca|zone|Estado de México|cdmx|19.835|-99.21
Zumpango|zumpango,zumpango de ocampo|zone|Estado de México|cdmx|19.7971|-99.1006
Aeropuerto Felipe Ángeles (AIFA)|aifa,aeropuerto felipe angeles,aeropuerto internacional felipe angeles,?santa lucia|zone|Estado de México|cdmx|19.737|-99.02
Coacalco|coacalco,coacalco de berriozabal,bosques del valle|zone|Estado de México|cdmx|19.628|-99.11
Ecatepec|ecatepec,ecatepec de morelos|zone|Estado de México|cdmx|19.6012|-99.0502
Ciudad Azteca|ciudad azteca,metro ciudad azteca|zone|Estado de México|cdmx|19.534|-99.0275
Valle de Aragón|valle de aragon,plaza aragon|zone|Estado de México|cdmx|19.495|-99.05
Tecámac|tecamac,tecamac de felipe villanueva|zone|Estado de México|cdmx|19.713|-98.968
Acolman|acolman,tepexpan|zone|Estado de México|cdmx|19.6126|-98.9373
Teotihuacán|teotihuacan,san juan teotihuacan,piramides de teotihuacan|zone|Estado de México|cdmx|19.6855|-98.8686
Nezahualcóyotl|nezahualcoyotl,neza,ciudad nezahualcoyotl,ciudad neza,cd neza|zone|Estado de México|cdmx|19.4006|-99.0148
Chimalhuacán|chimalhuacan|zone|Estado de México|cdmx|19.4169|-98.9453
La Paz (Estado de México)|los reyes la paz,la paz edomex,la paz estado de mexico,los reyes acaquilpan,metro la paz,?la paz|zone|Estado de México|cdmx|19.358|-98.977
Chicoloapan|chicoloapan|zone|Estado de México|cdmx|19.4168|-98.902
Ixtapaluca|ixtapaluca|zone|Estado de México|cdmx|19.3131|-98.8842
Valle de Chalco|valle de chalco,valle de chalco solidaridad|zone|Estado de México|cdmx|19.2788|-98.9434
Chalco|chalco|zone|Estado de México|cdmx|19.263|-98.897
Texcoco|texcoco|zone|Estado de México|cdmx|19.5119|-98.8825
# Estado de México outside Mexico City's metropolitan area
Toluca|toluca|city|Estado de México||19.2826|-99.6557
Toluca de Lerdo|toluca de lerdo|city|Estado de México||19.2826|-99.6557
Metepec|metepec|city|Estado de México||19.2516|-99.6047
Lerma|lerma,lerma de villada|city|Estado de México||19.2854|-99.5118
San Mateo Atenco|san mateo atenco|city|Estado de México||19.2642|-99.5297
Zinacantepec|zinacantepec|city|Estado de México||19.2849|-99.735
Ocoyoacac|ocoyoacac|city|Estado de México||19.2693|-99.4557
Tenango del Valle|tenango del valle|city|Estado de México||19.1038|-99.5916
Tianguistenco|tianguistenco,santiago tianguistenco|city|Estado de México||19.1812|-99.4674
Valle de Bravo|valle de bravo|city|Estado de México||19.1944|-100.1316
Ixtapan de la Sal|ixtapan de la sal|city|Estado de México||18.8446|-99.6758
Tenancingo|tenancingo|city|Estado de México||18.9618|-99.5938
Atlacomulco|atlacomulco|city|Estado de México||19.8|-99.8743
Jilotepec|jilotepec|city|Estado de México||19.9528|-99.5328
Amecameca|amecameca|city|Estado de México||19.1287|-98.7698
# Monterrey metropolitan area
Centro de Monterrey|centro de monterrey,monterrey centro,centro mty,macroplaza,macro plaza,barrio antiguo|zone|Nuevo León|monterrey|25.6705|-100.309
Tec de Monterrey, campus Monterrey|tec,tec de monterrey,tecnologico de monterrey,?tecnologico,itesm,colonia tecnologico,tec campus monterrey,tec mty|zone|Nuevo León|monterrey|25.6515|-100.2895
Avenida Revolución (Monterrey)|?revolucion,?av revolucion,?avenida revolucion|zone|Nuevo León|monterrey|25.645|-100.284
Avenida Garza Sada|garza sada,eugenio garza sada,av garza sada,avenida garza sada|zone|Nuevo León|monterrey|25.64|-100.287
Contry|contry,colonia contry|zone|Nuevo León|monterrey|25.626|-100.276
Carretera Nacional (Monterrey)|?carretera nacional|zone|Nuevo León|monterrey|25.575|-100.245
Fundidora|fundidora,parque fundidora,arena monterrey,cintermex|zone|Nuevo León|monterrey|25.678|-100.285
Avenida Churubusco (Monterrey)|?churubusco|zone|Nuevo León|monterrey|25.69|-100.285
Obispado|obispado,colonia obispado|zone|Nuevo León|monterrey|25.6735|-100.343
Mitras|mitras,mitras centro,mitras norte,colonia mitras,gonzalitos,av gonzalitos|zone|Nuevo León|monterrey|25.695|-100.345
Vista Hermosa (Monterrey)|?vista hermosa|zone|Nuevo León|monterrey|25.683|-100.355
Galerías Monterrey|galerias monterrey,galerias mty,?galerias|zone|Nuevo León|monterrey|25.6826|-100.3535
San Jerónimo (Monterrey)|?san jeronimo|zone|Nuevo León|monterrey|25.677|-100.37
Cumbres|cumbres,cumbres elite|zone|Nuevo León|monterrey|25.73|-100.4
San Pedro Garza García|san pedro garza garcia,san pedro garza,san pedro,spgg|zone|Nuevo León|monterrey|25.6573|-100.4022
Del Valle (San Pedro Garza García)|?del valle,?colonia del valle,?col del valle,?la del valle,del valle san pedro,del valle spgg,calzada del valle,calzada san pedro|zone|Nuevo León|monterrey|25.656|-100.362
Valle Oriente|valle oriente,fashion drive|zone|Nuevo León|monterrey|25.643|-100.32
San Agustín (San Pedro Garza García)|?san agustin,plaza fiesta san agustin|zone|Nuevo León|monterrey|25.6535|-100.335
Universidad de Monterrey (UDEM)|udem,universidad de monterrey|zone|Nuevo León|monterrey|25.6625|-100.4205
Santa Catarina|santa catarina|zone|Nuevo León|monterrey|25.6733|-100.4581
García|garcia nl,garcia nuevo leon,garcia n l|zone|Nuevo León|monterrey|25.795|-100.49
San Nicolás de los Garza|san nicolas de los garza,san nicolas|zone|Nuevo León|monterrey|25.7417|-100.3022
Ciudad Universitaria (UANL)|uanl,la uanl,cu uanl,ciudad universitaria uanl,estadio universitario,?ciudad universitaria,?cu|zone|Nuevo León|monterrey|25.7257|-100.3126
Anáhuac (San Nicolás de los Garza)|?anahuac,?la anahuac,?colonia anahuac,anahuac san nicolas|zone|Nuevo León|monterrey|25.737|-100.305
Paseo La Fe|paseo la fe|zone|Nuevo León|monterrey|25.735|-100.23
Linda Vista (Guadalupe)|?linda vista,?lindavista,linda vista guadalupe|zone|Nuevo León|monterrey|25.686|-100.255
Guadalupe (Nuevo León)|guadalupe nuevo leon,guadalupe nl,ciudad guadalupe,?guadalupe|zone|Nuevo León|monterrey|25.6775|-100.2597
Juárez (Nuevo León)|juarez nl,juarez nuevo leon,juarez n l,ciudad benito juarez|zone|Nuevo León|monterrey|25.6462|-100.0909
Apodaca|apodaca,ciudad apodaca|zone|Nuevo León|monterrey|25.7817|-100.1886
Aeropuerto de Monterrey|aeropuerto de monterrey,aeropuerto mty,aeropuerto de mty,aeropuerto mariano escobedo,?aeropuerto|zone|Nuevo León|monterrey|25.7785|-100.1069
Escobedo|escobedo,general escobedo,ciudad general escobedo|zone|Nuevo León|monterrey|25.7969|-100.3347
Pesquería|pesqueria|zone|Nuevo León|monterrey|25.77|-100.06
Cadereyta|cadereyta,cadereyta jimenez|zone|Nuevo León|monterrey|25.591|-100.0016
Santiago (Nuevo León)|santiago nl,santiago nuevo leon,villa de santiago,?santiago|zone|Nuevo León|monterrey|25.4271|-100.153
Salinas Victoria|salinas victoria|zone|Nuevo León|monterrey|25.93|-100.27
Ciénega de Flores|cienega de flores|zone|Nuevo León|monterrey|25.95|-100.17
General Zuazua|zuazua,general zuazua|zone|Nuevo León|monterrey|25.895|-100.14
# Guadalajara metropolitan area
Centro de Guadalajara|centro de guadalajara,centro gdl,guadalajara centro,centro historico de guadalajara,catedral de guadalajara|zone|Jalisco|guadalajara|20.6767|-103.3475
Zapopan|zapopan,centro de zapopan,zapopan centro,basilica de zapopan|zone|Jalisco|guadalajara|20.7236|-103.3848
Andares|andares|zone|Jalisco|guadalajara|20.71|-103.412
Puerta de Hierro|puerta de hierro|zone|Jalisco|guadalajara|20.7115|-103.4175
Providencia|providencia,italia providencia|zone|Jalisco|guadalajara|20.69|-103.39
Avenida López Mateos (Guadalajara)|?lopez mateos,?av lopez mateos,?avenida lopez mateos,?adolfo lopez mateos,lopez mateos gdl,lopez mateos guadalajara|zone|Jalisco|guadalajara|20.66|-103.398
López Mateos Sur|lopez mateos sur,av lopez mateos sur,avenida lopez mateos sur|zone|Jalisco|guadalajara|20.6|-103.42
Avenida Vallarta|av vallarta,avenida vallarta|zone|Jalisco|guadalajara|20.676|-103.395
Minerva|la minerva,glorieta minerva,glorieta la minerva|zone|Jalisco|guadalajara|20.6743|-103.3923
Chapultepec (Guadalajara)|?chapultepec,?av chapultepec,?avenida chapultepec,chapultepec gdl,chapultepec guadalajara|zone|Jalisco|guadalajara|20.672|-103.369
Colonia Americana|colonia americana,col americana|zone|Jalisco|guadalajara|20.673|-103.365
Santa Tere|santa tere,santa teresita|zone|Jalisco|guadalajara|20.6845|-103.3665
Chapalita|chapalita|zone|Jalisco|guadalajara|20.665|-103.4
Plaza del Sol|plaza del sol|zone|Jalisco|guadalajara|20.651|-103.4015
Expo Guadalajara|expo guadalajara|zone|Jalisco|guadalajara|20.6545|-103.391
Galerías Guadalajara|galerias guadalajara,galerias gdl,?galerias|zone|Jalisco|guadalajara|20.678|-103.43
Ciudad Granja|ciudad granja|zone|Jalisco|guadalajara|20.68|-103.45
Estadio Akron|estadio akron,estadio chivas|zone|Jalisco|guadalajara|20.6819|-103.4626
Tec de Monterrey, campus Guadalajara|tec guadalajara,tec gdl,tec de monterrey guadalajara,tec campus guadalajara,?tec,?tec de monterrey,?tecnologico de monterrey,?tecnologico,?itesm|zone|Jalisco|guadalajara|20.7337|-103.4557
Tesistán|tesistan|zone|Jalisco|guadalajara|20.7983|-103.4861
Universidad de Guadalajara|udeg,u de g,universidad de guadalajara|zone|Jalisco|guadalajara|20.6745|-103.3585
CUCEI|cucei|zone|Jalisco|guadalajara|20.656|-103.325
Oblatos|oblatos|zone|Jalisco|guadalajara|20.69|-103.3
Estadio Jalisco|estadio jalisco|zone|Jalisco|guadalajara|20.7049|-103.3283
Las Águilas (Zapopan)|?las aguilas,?colonia las aguilas|zone|Jalisco|guadalajara|20.64|-103.42
ITESO|iteso|zone|Jalisco|guadalajara|20.607|-103.4145
Tlaquepaque|tlaquepaque,san pedro tlaquepaque,centro de tlaquepaque|zone|Jalisco|guadalajara|20.6409|-103.2934
Tonalá|tonala|zone|Jalisco|guadalajara|20.6245|-103.2345
Santa Anita (Tlaquepaque)|?santa anita,santa anita tlaquepaque|zone|Jalisco|guadalajara|20.5506|-103.44
San Agustín (Tlajomulco)|?san agustin|zone|Jalisco|guadalajara|20.5481|-103.4683
Hacienda Santa Fe|hacienda santa fe|zone|Jalisco|guadalajara|20.5181|-103.3806
Tlajomulco|tlajomulco,tlajomulco de zuniga|zone|Jalisco|guadalajara|20.4736|-103.4471
El Salto|el salto jalisco,?el salto|zone|Jalisco|guadalajara|20.53|-103.22
Aeropuerto de Guadalajara|aeropuerto de guadalajara,aeropuerto gdl,aeropuerto de gdl,?aeropuerto|zone|Jalisco|guadalajara|20.5218|-103.3112
# Jalisco outside Guadalajara
Puerto Vallarta|puerto vallarta,vallarta|city|Jalisco||20.6534|-105.2253
Chapala|chapala,lago de chapala|city|Jalisco||20.2933|-103.1897
Ajijic|ajijic|city|Jalisco||20.2994|-103.2581
Tequila|tequila jalisco|city|Jalisco||20.8794|-103.8356
Tepatitlán|tepatitlan,tepatitlan de morelos|city|Jalisco||20.8175|-102.7572
Lagos de Moreno|lagos de moreno|city|Jalisco||21.3564|-101.9292
Ciudad Guzmán|ciudad guzman,cd guzman,zapotlan el grande|city|Jalisco||19.7086|-103.4642
Ocotlán|ocotlan|city|Jalisco||20.3514|-102.7681
Arandas|arandas|city|Jalisco||20.7056|-102.3403
Autlán|autlan,autlan de navarro|city|Jalisco||19.7714|-104.3653
San Juan de los Lagos|san juan de los lagos|city|Jalisco||21.2478|-102.3328
Ameca|ameca|city|Jalisco||20.5486|-104.0431
# Puebla metropolitan area
Centro de Puebla|centro de puebla,puebla centro,centro historico de puebla,zocalo de puebla|zone|Puebla|puebla|19.0433|-98.1981
Angelópolis|angelopolis,la angelopolis,plaza angelopolis,reserva territorial atlixcayotl,atlixcayotl,via atlixcayotl|zone|Puebla|puebla|19.03|-98.235
Lomas de Angelópolis|lomas de angelopolis|zone|Puebla|puebla|19.0|-98.27
Cholula|cholula,san pedro cholula,cholula de rivadavia|zone|Puebla|puebla|19.0633|-98.3064
San Andrés Cholula|san andres cholula|zone|Puebla|puebla|19.051|-98.301
Universidad de las Américas Puebla (UDLAP)|udlap,udla,universidad de las americas|zone|Puebla|puebla|19.054|-98.283
Recta a Cholula|recta a cholula,recta cholula|zone|Puebla|puebla|19.055|-98.265
Santiago Momoxpan|santiago momoxpan,momoxpan|zone|Puebla|puebla|19.0718|-98.2673
Cuautlancingo|cuautlancingo|zone|Puebla|puebla|19.0893|-98.2733
Zavaleta|zavaleta|zone|Puebla|puebla|19.047|-98.244
La Paz (Puebla)|?la paz,?colonia la paz|zone|Puebla|puebla|19.0515|-98.2265
Huexotitla|huexotitla|zone|Puebla|puebla|19.036|-98.209
Ex Hacienda Mayorazgo|mayorazgo,ex hacienda mayorazgo,exhacienda mayorazgo|zone|Puebla|puebla|19.013|-98.219
Ciudad Universitaria (BUAP)|buap,cu buap,ciudad universitaria buap,?ciudad universitaria,?cu|zone|Puebla|puebla|19.002|-98.203
Ibero Puebla|ibero puebla,?ibero,?la ibero|zone|Puebla|puebla|19.025|-98.245
Tec de Monterrey, campus Puebla|tec puebla,tec de monterrey puebla,tec campus puebla,?tec,?tec de monterrey,?tecnologico de monterrey,?tecnologico,?itesm|zone|Puebla|puebla|19.0185|-98.2425
Amalucan|amalucan|zone|Puebla|puebla|19.062|-98.146
Amozoc|amozoc,amozoc de mota|zone|Puebla|puebla|19.0446|-98.0449
Huejotzingo|huejotzingo|zone|Puebla|puebla|19.159|-98.408
Aeropuerto de Puebla|aeropuerto de puebla,?aeropuerto|zone|Puebla|puebla|19.1581|-98.3714
# Puebla and Tlaxcala outside Puebla's metropolitan area
Atlixco|atlixco|city|Puebla||18.9088|-98.4327
San Martín Texmelucan|san martin texmelucan,texmelucan|city|Puebla||19.2829|-98.4355
Tehuacán|tehuacan|city|Puebla||18.4622|-97.392
Teziutlán|teziutlan|city|Puebla||19.818|-97.3609
Izúcar de Matamoros|izucar de matamoros,izucar|city|Puebla||18.6022|-98.4654
Huauchinango|huauchinango|city|Puebla||20.1747|-98.0513
Zacatlán|zacatlan|city|Puebla||19.9324|-97.9602
Chignahuapan|chignahuapan|city|Puebla||19.8382|-98.031
Cuetzalan|cuetzalan,cuetzalan del progreso|city|Puebla||20.0185|-97.5208
Tepeaca|tepeaca|city|Puebla||18.9661|-97.9054
Tlaxcala|tlaxcala|city|Tlaxcala||19.3139|-98.2404
Apizaco|apizaco|city|Tlaxcala||19.4163|-98.1406
Huamantla|huamantla|city|Tlaxcala||19.3127|-97.9231
# Querétaro metropolitan area
Centro de Querétaro|centro de queretaro,queretaro centro,centro historico de queretaro|zone|Querétaro|queretaro|20.5931|-100.3925
Juriquilla|juriquilla|zone|Querétaro|queretaro|20.7036|-100.4469
Jurica|jurica|zone|Querétaro|queretaro|20.652|-100.43
Antea|antea,antea lifestyle center|zone|Querétaro|queretaro|20.6745|-100.435
Santa Rosa Jáuregui|santa rosa jauregui|zone|Querétaro|queretaro|20.7422|-100.4473
El Refugio|el refugio queretaro,?el refugio|zone|Querétaro|queretaro|20.66|-100.352
Zibatá|zibata|zone|Querétaro|queretaro|20.688|-100.335
Milenio III|milenio iii,milenio 3,milenio tercera seccion|zone|Querétaro|queretaro|20.59|-100.345
Centro Sur|centro sur|zone|Querétaro|queretaro|20.57|-100.365
Álamos (Querétaro)|?alamos,?colonia alamos|zone|Querétaro|queretaro|20.584|-100.372
Bernardo Quintana|bernardo quintana,blvd bernardo quintana,boulevard bernardo quintana|zone|Querétaro|queretaro|20.605|-100.37
Plaza del Parque|plaza del parque|zone|Querétaro|queretaro|20.6|-100.365
Avenida 5 de Febrero|av 5 de febrero,avenida 5 de febrero,?5 de febrero,?cinco de febrero|zone|Querétaro|queretaro|20.61|-100.405
Tec de Monterrey, campus Querétaro|tec queretaro,tec qro,tec de monterrey queretaro,tec campus queretaro,?tec,?tec de monterrey,?tecnologico de monterrey,?tecnologico,?itesm|zone|Querétaro|queretaro|20.6135|-100.404
Universidad Autónoma de Querétaro|uaq,universidad autonoma de queretaro|zone|Querétaro|queretaro|20.591|-100.41
El Marqués|el marques|zone|Querétaro|queretaro|20.61|-100.32
Aeropuerto de Querétaro|aeropuerto de queretaro,aeropuerto qro,aiq,?aeropuerto|zone|Querétaro|queretaro|20.6173|-100.1856
Corregidora|corregidora|zone|Querétaro|queretaro|20.536|-100.44
El Pueblito|el pueblito corregidora,el pueblito queretaro,?el pueblito|zone|Querétaro|queretaro|20.5524|-100.4459
# Querétaro outside its metropolitan area
San Juan del Río|san juan del rio|city|Querétaro||20.3886|-99.9962
Tequisquiapan|tequisquiapan,tequis|city|Querétaro||20.5188|-99.8838
Peña de Bernal|pena de bernal,bernal queretaro|city|Querétaro||20.7404|-99.9411
Cadereyta de Montes|cadereyta de montes,?cadereyta|city|Querétaro||20.695|-99.8156
Jalpan de Serra|jalpan de serra,jalpan|city|Querétaro||21.2168|-99.4729
Amealco|amealco,amealco de bonfil|city|Querétaro||20.1864|-100.1442
# Cuernavaca metropolitan area
Centro de Cuernavaca|centro de cuernavaca,cuernavaca centro|zone|Morelos|cuernavaca|18.9218|-99.2349
Rancho Cortés|rancho cortes|zone|Morelos|cuernavaca|18.949|-99.2285
Lomas de Cortés|lomas de cortes|zone|Morelos|cuernavaca|18.95|-99.245
Vista Hermosa (Cuernavaca)|?vista hermosa|zone|Morelos|cuernavaca|18.9075|-99.2405
Averanda|averanda,plaza averanda|zone|Morelos|cuernavaca|18.935|-99.222
Galerías Cuernavaca|galerias cuernavaca,?galerias|zone|Morelos|cuernavaca|18.9045|-99.2175
Jiutepec|jiutepec|zone|Morelos|cuernavaca|18.88|-99.18
CIVAC|civac|zone|Morelos|cuernavaca|18.91|-99.175
Temixco|temixco|zone|Morelos|cuernavaca|18.85|-99.23
Emiliano Zapata (Morelos)|emiliano zapata morelos,?emiliano zapata|zone|Morelos|cuernavaca|18.841|-99.1832
Xochitepec|xochitepec|zone|Morelos|cuernavaca|18.7819|-99.2315
Tec de Monterrey, campus Cuernavaca|tec cuernavaca,tec de monterrey cuernavaca,tec campus cuernavaca,?tec,?tec de monterrey,?tecnologico de monterrey,?tecnologico,?itesm|zone|Morelos|cuernavaca|18.805|-99.222
Tepoztlán|tepoztlan,tepoz|zone|Morelos|cuernavaca|18.9865|-99.1012
Huitzilac|huitzilac,tres marias|zone|Morelos|cuernavaca|19.029|-99.2675
Aeropuerto de Cuernavaca|aeropuerto de cuernavaca,?aeropuerto|zone|Morelos|cuernavaca|18.8348|-99.2613
# Morelos outside Cuernavaca
Cuautla|cuautla|city|Morelos||18.8128|-98.9544
Oaxtepec|oaxtepec|city|Morelos||18.9077|-98.9698
Yautepec|yautepec|city|Morelos||18.8861|-99.0608
Jojutla|jojutla|city|Morelos||18.6166|-99.181
Zacatepec|zacatepec|city|Morelos||18.6554|-99.1943
Tequesquitengo|tequesquitengo,tequesquitengo morelos|city|Morelos||18.6118|-99.2605
# Other cities and states
León|leon,leon guanajuato,leon gto|city|Guanajuato||21.1221|-101.6823
Guanajuato|guanajuato,gto,estado de guanajuato|state|Guanajuato||21.019|-101.2574
Celaya|celaya|city|Guanajuato||20.5235|-100.8157
Irapuato|irapuato|city|Guanajuato||20.6767|-101.3563
Salamanca|salamanca guanajuato,salamanca gto|city|Guanajuato||20.5687|-101.1999
Silao|silao,silao de la victoria|city|Guanajuato||20.9445|-101.4262
San Miguel de Allende|san miguel de allende|city|Guanajuato||20.9144|-100.7452
Dolores Hidalgo|dolores hidalgo|city|Guanajuato||21.1592|-100.9172
San Francisco del Rincón|san francisco del rincon|city|Guanajuato||21.0187|-101.8585
Acámbaro|acambaro|city|Guanajuato||20.0354|-100.7193
Pénjamo|penjamo|city|Guanajuato||20.4318|-101.725
Valle de Santiago|valle de santiago|city|Guanajuato||20.3913|-101.1814
Moroleón|moroleon|city|Guanajuato||20.1319|-101.1892
Uriangato|uriangato|city|Guanajuato||20.141|-101.1781
Aguascalientes|aguascalientes,aguas,ags|city|Aguascalientes||21.8853|-102.2916
Jesús María|jesus maria aguascalientes|city|Aguascalientes||21.9613|-102.3434
Calvillo|calvillo|city|Aguascalientes||21.8469|-102.7188
San Luis Potosí|san luis potosi,slp,san luis|city|San Luis Potosí||22.1565|-100.9855
Soledad de Graciano Sánchez|soledad de graciano sanchez|city|San Luis Potosí||22.1879|-100.9373
Ciudad Valles|ciudad valles,cd valles|city|San Luis Potosí||21.9865|-99.0187
Matehuala|matehuala|city|San Luis Potosí||23.6464|-100.6442
Rioverde|rioverde|city|San Luis Potosí||21.9324|-99.9929
Zacatecas|zacatecas|city|Zacatecas||22.7709|-102.5832
Guadalupe|guadalupe zacatecas,guadalupe zac,?guadalupe|city|Zacatecas||22.7468|-102.5188
Fresnillo|fresnillo|city|Zacatecas||23.1749|-102.8682
Jerez|jerez zacatecas,jerez de garcia salinas|city|Zacatecas||22.6494|-102.9899
Morelia|morelia|city|Michoacán||19.706|-101.195
Michoacán|michoacan,estado de michoacan|state|Michoacán||19.5665|-101.7068
Uruapan|uruapan|city|Michoacán||19.4208|-102.0628
Zamora|zamora michoacan,zamora de hidalgo|city|Michoacán||19.9836|-102.286
Lázaro Cárdenas|ciudad lazaro cardenas,lazaro cardenas michoacan|city|Michoacán||17.9623|-102.198
Pátzcuaro|patzcuaro|city|Michoacán||19.5136|-101.6101
Apatzingán|apatzingan|city|Michoacán||19.0872|-102.3553
Zitácuaro|zitacuaro|city|Michoacán||19.4372|-100.3575
La Piedad|la piedad michoacan,la piedad de cabadas|city|Michoacán||20.3415|-102.0226
Sahuayo|sahuayo|city|Michoacán||20.0577|-102.7168
Pachuca|pachuca,pachuca de soto,la bella airosa,bella airosa|city|Hidalgo||20.1011|-98.7591
Hidalgo|estado de hidalgo|state|Hidalgo||20.0911|-98.7624
Tulancingo|tulancingo|city|Hidalgo||20.0806|-98.3681
Tula de Allende|tula de allende,tula hidalgo,tula|city|Hidalgo||20.0552|-99.3432
Tizayuca|tizayuca|city|Hidalgo||19.8411|-98.9816
Tepeji del Río|tepeji del rio,tepeji|city|Hidalgo||19.9052|-99.3418
Ixmiquilpan|ixmiquilpan|city|Hidalgo||20.4849|-99.2188
Actopan|actopan|city|Hidalgo||20.2691|-98.9429
Huejutla|huejutla,huejutla de reyes|city|Hidalgo||21.1392|-98.4206
Acapulco|acapulco,acapulco de juarez|city|Guerrero||16.8531|-99.8237
Guerrero|guerrero,estado de guerrero|state|Guerrero||17.4392|-99.5451
Chilpancingo|chilpancingo|city|Guerrero||17.5506|-99.5058
Iguala|iguala guerrero,iguala de la independencia|city|Guerrero||18.3445|-99.5384
Taxco|taxco,taxco de alarcon|city|Guerrero||18.5574|-99.6046
Zihuatanejo|zihuatanejo,zihua,ixtapa zihuatanejo,ixtapa|city|Guerrero||17.6505|-101.5482
Oaxaca|oaxaca,oaxaca de juarez,estado de oaxaca|city|Oaxaca||17.0732|-96.7266
Juchitán|juchitan,juchitan de zaragoza|city|Oaxaca||16.4333|-95.0216
Salina Cruz|salina cruz|city|Oaxaca||16.1759|-95.1922
Puerto Escondido|puerto escondido|city|Oaxaca||15.8625|-97.0713
Huatulco|huatulco,bahias de huatulco,la crucecita|city|Oaxaca||15.7648|-96.1351
Tuxtepec|tuxtepec,san juan bautista tuxtepec|city|Oaxaca||18.0812|-96.1185
Huajuapan|huajuapan,huajuapan de leon|city|Oaxaca||17.8068|-97.7762
Veracruz|veracruz,puerto de veracruz,veracruz puerto,estado de veracruz|city|Veracruz||19.1738|-96.1342
Boca del Río|boca del rio|city|Veracruz||19.1054|-96.1067
Xalapa|xalapa,jalapa|city|Veracruz||19.5438|-96.9102
Coatepec|coatepec|city|Veracruz||19.4547|-96.9603
Córdoba|cordoba|city|Veracruz||18.8842|-96.9256
Orizaba|orizaba|city|Veracruz||18.8499|-97.1036
Coatzacoalcos|coatzacoalcos,coatza|city|Veracruz||18.1345|-94.459
Minatitlán|minatitlan|city|Veracruz||17.991|-94.5484
Poza Rica|poza rica|city|Veracruz||20.5341|-97.4436
Tuxpan|tuxpan,tuxpan veracruz,tuxpam|city|Veracruz||20.9643|-97.4039
Papantla|papantla|city|Veracruz||20.4467|-97.3227
Martínez de la Torre|martinez de la torre|city|Veracruz||20.0734|-97.0538
San Andrés Tuxtla|san andres tuxtla|city|Veracruz||18.4487|-95.2126
Catemaco|catemaco|city|Veracruz||18.4246|-95.1123
Perote|perote|city|Veracruz||19.5607|-97.2441
Acayucan|acayucan|city|Veracruz||17.9488|-94.9139
Villahermosa|villahermosa|city|Tabasco||17.9892|-92.9475
Tabasco|tabasco|state|Tabasco||17.8409|-92.6189
Cárdenas|cardenas tabasco,heroica cardenas|city|Tabasco||17.9894|-93.3769
Comalcalco|comalcalco|city|Tabasco||18.266|-93.225
Tuxtla Gutiérrez|tuxtla,tuxtla gutierrez|city|Chiapas||16.7516|-93.1161
Chiapas|chiapas|state|Chiapas||16.7569|-93.1292
Tapachula|tapachula|city|Chiapas||14.9111|-92.2643
San Cristóbal de las Casas|san cristobal de las casas,?san cristobal|city|Chiapas||16.737|-92.6376
Comitán|comitan,comitan de dominguez|city|Chiapas||16.2525|-92.1358
Palenque|palenque|city|Chiapas||17.5091|-91.981
Chiapa de Corzo|chiapa de corzo|city|Chiapas||16.708|-93.016
Tonalá|tonala chiapas,?tonala|city|Chiapas||16.0914|-93.7518
Mérida|merida,merida yucatan|city|Yucatán||20.9674|-89.5926
Yucatán|yucatan|state|Yucatán||20.7099|-89.0943
Valladolid|valladolid yucatan|city|Yucatán||20.6897|-88.201
Progreso|progreso yucatan,puerto progreso|city|Yucatán||21.2826|-89.6636
Tizimín|tizimin|city|Yucatán||21.1435|-88.1523
Izamal|izamal|city|Yucatán||20.933|-89.0197
Cancún|cancun|city|Quintana Roo||21.1619|-86.8515
Playa del Carmen|playa del carmen,playa|city|Quintana Roo||20.6296|-87.0739
Tulum|tulum|city|Quintana Roo||20.2114|-87.4654
Cozumel|cozumel|city|Quintana Roo||20.5038|-86.9576
Isla Mujeres|isla mujeres|city|Quintana Roo||21.2566|-86.7461
Puerto Morelos|puerto morelos|city|Quintana Roo||20.8485|-86.8762
Holbox|holbox|city|Quintana Roo||21.5232|-87.3787
Bacalar|bacalar|city|Quintana Roo||18.6761|-88.3894
Felipe Carrillo Puerto|felipe carrillo puerto|city|Quintana Roo||19.5785|-88.0466
Chetumal|chetumal|city|Quintana Roo||18.5001|-88.2961
Quintana Roo|quintana roo,q roo|state|Quintana Roo||19.1817|-88.4791
Campeche|campeche|city|Campeche||19.8301|-90.5349
Ciudad del Carmen|ciudad del carmen,cd del carmen|city|Campeche||18.6378|-91.8365
Escárcega|escarcega|city|Campeche||18.6043|-90.732
Champotón|champoton|city|Campeche||19.3562|-90.7239
Tampico|tampico|city|Tamaulipas||22.2331|-97.8611
Ciudad Madero|ciudad madero,cd madero|city|Tamaulipas||22.2463|-97.837
Altamira|altamira|city|Tamaulipas||22.3916|-97.9367
Ciudad Mante|ciudad mante,cd mante,el mante|city|Tamaulipas||22.744|-98.9717
Ciudad Victoria|ciudad victoria,cd victoria|city|Tamaulipas||23.7369|-99.1411
Reynosa|reynosa|city|Tamaulipas||26.0508|-98.2979
Río Bravo|ciudad rio bravo,rio bravo tamaulipas|city|Tamaulipas||25.981|-98.0901
Matamoros|matamoros|city|Tamaulipas||25.8697|-97.5027
Nuevo Laredo|nuevo laredo|city|Tamaulipas||27.4779|-99.5496
Tamaulipas|tamaulipas|state|Tamaulipas||24.2669|-98.8363
Linares|linares nl,linares nuevo leon|city|Nuevo León||24.8597|-99.5679
Montemorelos|montemorelos|city|Nuevo León||25.1893|-99.827
Sabinas Hidalgo|sabinas hidalgo|city|Nuevo León||26.4984|-100.1811
Saltillo|saltillo|city|Coahuila||25.4232|-101.0053
Ramos Arizpe|ramos arizpe|city|Coahuila||25.5432|-100.9508
Torreón|torreon,comarca lagunera|city|Coahuila||25.5428|-103.4068
Monclova|monclova|city|Coahuila||26.9069|-101.4207
Piedras Negras|piedras negras|city|Coahuila||28.7081|-100.5284
Ciudad Acuña|ciudad acuna,cd acuna|city|Coahuila||29.33|-100.9783
Sabinas|sabinas coahuila|city|Coahuila||27.8489|-101.12
Parras|parras de la fuente|city|Coahuila||25.4374|-102.1842
Coahuila|coahuila|state|Coahuila||27.0587|-101.7068
Chihuahua|chihuahua|city|Chihuahua||28.632|-106.0691
Ciudad Juárez|ciudad juarez,cd juarez,juarez|city|Chihuahua||31.6904|-106.4245
Delicias|delicias chihuahua,ciudad delicias,cd delicias|city|Chihuahua||28.1929|-105.471
Hidalgo del Parral|hidalgo del parral,parral|city|Chihuahua||26.9221|-105.6671
Ciudad Cuauhtémoc|cuauhtemoc chihuahua,ciudad cuauhtemoc,cd cuauhtemoc|city|Chihuahua||28.4063|-106.866
Nuevo Casas Grandes|nuevo casas grandes|city|Chihuahua||30.414|-107.9121
Durango|durango|city|Durango||24.0277|-104.6532
Gómez Palacio|gomez palacio|city|Durango||25.5701|-103.4964
Lerdo|ciudad lerdo,lerdo durango|city|Durango||25.5366|-103.5248
Culiacán|culiacan|city|Sinaloa||24.8091|-107.394
Mazatlán|mazatlan|city|Sinaloa||23.2494|-106.4111
Los Mochis|los mochis|city|Sinaloa||25.7904|-108.9859
Guasave|guasave|city|Sinaloa||25.5655|-108.4718
Guamúchil|guamuchil|city|Sinaloa||25.457|-108.0807
Sinaloa|sinaloa|state|Sinaloa||25.1721|-107.4795
Hermosillo|hermosillo|city|Sonora||29.0729|-110.9559
Ciudad Obregón|ciudad obregon,cd obregon|city|Sonora||27.4828|-109.9304
Nogales|nogales,nogales sonora|city|Sonora||31.3259|-110.9457
San Luis Río Colorado|san luis rio colorado|city|Sonora||32.4798|-114.7796
Navojoa|navojoa|city|Sonora||27.0816|-109.4455
Guaymas|guaymas|city|Sonora||27.9232|-110.8894
Caborca|caborca|city|Sonora||30.7141|-112.1484
Puerto Peñasco|puerto penasco,rocky point|city|Sonora||31.3068|-113.5401
Agua Prieta|agua prieta|city|Sonora||31.3278|-109.5464
Álamos|alamos sonora|city|Sonora||27.024|-108.9349
Sonora|sonora|state|Sonora||29.2972|-110.3309
Tijuana|tijuana,tj|city|Baja California||32.5149|-117.0382
Mexicali|mexicali|city|Baja California||32.6245|-115.4523
Ensenada|ensenada|city|Baja California||31.8667|-116.5964
Tecate|tecate|city|Baja California||32.5727|-116.6266
Rosarito|rosarito,playas de rosarito|city|Baja California||32.3637|-117.0545
Baja California|baja california,baja|state|Baja California||30.8406|-115.2838
Baja California Sur|baja california sur,bcs|state|Baja California Sur||26.0444|-111.6661
La Paz|la paz,la paz bcs,la paz baja california sur|city|Baja California Sur||24.1426|-110.3128
Los Cabos|los cabos,cabo san lucas,san jose del cabo|city|Baja California Sur||22.8905|-109.9167
Loreto|loreto bcs,loreto baja california sur|city|Baja California Sur||26.0128|-111.3433
Tepic|tepic|city|Nayarit||21.5042|-104.8946
Nuevo Vallarta|nuevo vallarta|city|Nayarit||20.7|-105.3
Bucerías|bucerias|city|Nayarit||20.7562|-105.3395
Sayulita|sayulita|city|Nayarit||20.8695|-105.4402
San Blas|san blas|city|Nayarit||21.5417|-105.286
Nayarit|nayarit|state|Nayarit||21.7514|-104.8455
Colima|colima|city|Colima||19.2452|-103.7241
Manzanillo|manzanillo|city|Colima||19.0532|-104.3164
Tecomán|tecoman|city|Colima||18.9106|-103.8738
`;

const fold = (text: string) => normalizeText(text);

export const PLACES: ReadonlyArray<Place> = TABLE.split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"))
  .map((line) => {
    const [name, aliases, kind, state, metro, lat, lon] = line.split("|") as [string, string, PlaceKind, string, string, string, string];
    const names = aliases.split(",").map((alias) => ({ alias: fold(alias), contextual: alias.trim().startsWith("?") }));
    return {
      name,
      kind,
      state,
      metro: metro === "" ? undefined : metro,
      coordinates: [Number(lat), Number(lon)] as const,
      aliases: names.map((n) => n.alias),
      contextual: names.filter((n) => n.contextual).map((n) => n.alias),
    };
  });

/**
 * Everyday words and first names one letter away from a place name: never read as the place
 * ("pueblo" is not Puebla, "tampoco" not Tampico, "señora" not Sonora, "Andrés" not Andares).
 */
const NOT_PLACES = new Set(
  `pueblo pueblos centro ciudad estado colina colima leones playas tolucas sonara cumbre monte celeya tampoco senora medida metida
  condena durando tabaco andres chavala chapada tonada pesquera contra country apagon galeria fundadora resolucion politecnica
  tecnologica chaleco charco chasco bacalao rosario cuerda cuerno postales`.split(/\s+/),
);

const sameWord = (token: string, name: string): boolean => {
  if (token === name) return true;
  if (name.length < 6 || token.length < 6 || NOT_PLACES.has(token) || token[0] !== name[0]) return false;
  return editDistance(token, name) <= 1;
};

export interface PlaceMention {
  readonly place: Place;
  /** The words of the question that named it. */
  readonly words: ReadonlyArray<string>;
  /** Index of the first word in the normalized question. */
  readonly start: number;
}

/** Place names that are everyday words alone: they count only inside a longer name. */
const SHORT_EVERYDAY = new Set(["playa", "baja", "aguas", "juarez"]);

interface Entry {
  readonly place: Place;
  readonly words: ReadonlyArray<string>;
  /** Counts only when another place of the message is in the same metro or state. */
  readonly contextual: boolean;
}

/** Every name, longest first (table order among equals), by the first letter of its first word. */
const ENTRIES = new Map<string, Entry[]>();
for (const entry of PLACES.flatMap((place) => place.aliases.map((alias) => ({ place, words: alias.split(" "), contextual: place.contextual.includes(alias) })))
  .filter((entry) => !(entry.words.length === 1 && SHORT_EVERYDAY.has(entry.words[0]!)))
  .sort((a, b) => b.words.length - a.words.length)) {
  const initial = entry.words[0]![0]!;
  ENTRIES.set(initial, [...(ENTRIES.get(initial) ?? []), entry]);
}

/** The longest names at a position and every place they may be: exact spellings over typos, plain names first. */
const namesAt = (tokens: ReadonlyArray<string>, i: number): { readonly length: number; readonly candidates: ReadonlyArray<Entry> } | undefined => {
  const found: Entry[] = [];
  for (const entry of ENTRIES.get(tokens[i]![0]!) ?? []) {
    if (found.length > 0 && entry.words.length < found[0]!.words.length) break;
    if (i + entry.words.length <= tokens.length && entry.words.every((w, k) => sameWord(tokens[i + k]!, w))) found.push(entry);
  }
  if (found.length === 0) return undefined;
  const exact = found.filter((entry) => entry.words.every((w, k) => tokens[i + k] === w));
  const pool = exact.length > 0 ? exact : found;
  const candidates = [...pool.filter((e) => !e.contextual), ...pool.filter((e) => e.contextual)].filter(
    (entry, k, all) => all.findIndex((other) => other.place === entry.place) === k,
  );
  return { length: found[0]!.words.length, candidates };
};

/**
 * Whether a place lies where another place of the message says: the same metro, or, for a place
 * outside the metros with sedes, the same state ("la paz, edomex"; "el tec, en guadalajara").
 */
const sameRegion = (place: Place, other: Place): boolean => {
  if (other.metro !== undefined) return place.metro === other.metro || (place.metro === undefined && place.state === other.state);
  if (other.kind === "state") return place.state === other.state;
  return place.metro === undefined && place.state === other.state;
};

/**
 * Every place named in the question, left to right; at each position the longest name wins, so
 * "nuevo leon" is Nuevo León and "leon" alone is León, Guanajuato. "playa" and "baja" need a
 * longer name around them ("playa del carmen", "baja california") since they are everyday words.
 *
 * A name several places share ("del valle": Mexico City's or San Pedro Garza García's; "tec", "av
 * revolucion", "aeropuerto") is the one in the metro or state of another place the message names
 * ("la del valle en san pedro", "av revolucion cerca del tec"). With no other place it is the
 * plain reading, if it has one ("del valle" is Mexico City's), and nothing otherwise ("aeropuerto");
 * with other places, none of them where it could be, it is nothing ("el tec, en cdmx").
 */
export const findPlaces = (question: string): ReadonlyArray<PlaceMention> => {
  const tokens = fold(question).split(" ").filter((t) => t !== "");
  const named: Array<{ readonly start: number; readonly length: number; readonly candidates: ReadonlyArray<Entry> }> = [];
  for (let i = 0; i < tokens.length; ) {
    const names = namesAt(tokens, i);
    if (names) {
      named.push({ start: i, ...names });
      i += names.length;
    } else i += 1;
  }
  // what each name says about where the message is: its plain reading, or all it may be
  const readings = named.map(({ candidates }) => (candidates[0]!.contextual ? candidates.map((c) => c.place) : [candidates[0]!.place]));
  const found: PlaceMention[] = [];
  named.forEach(({ start, length, candidates }, k) => {
    const ambiguous = candidates.length > 1 || candidates[0]!.contextual;
    const others = readings.filter((_, j) => j !== k).flat();
    const place = !ambiguous
      ? candidates[0]!.place
      : (candidates.find((c) => others.some((other) => sameRegion(c.place, other)))?.place ??
        (others.length === 0 ? candidates.find((c) => !c.contextual)?.place : undefined));
    if (place) found.push({ place, words: tokens.slice(start, start + length), start });
  });
  return found;
};

/** Straight-line distance in km (haversine). */
export const distanceKm = (a: readonly [number, number], b: readonly [number, number]): number => {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b[0] - a[0]);
  const dLon = rad(b[1] - a[1]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[0])) * Math.cos(rad(b[0])) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
};
