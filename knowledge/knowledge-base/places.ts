/**
 * Mexican places people ask about ("¿tienen sucursal por Polanco?", "¿en León?", "cerca de
 * Satélite"): states, cities, metropolitan municipalities, Mexico City boroughs and well-known
 * zones, with approximate coordinates. General geography only: which of them have a Kavak sede is
 * sedes.yaml's business. Longer names win ("nuevo leon" over "leon", "san pedro garza garcia" over
 * "san pedro"), so León (Guanajuato) is never Nuevo León. Pure.
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
}

// name | aliases (comma) | kind | state | metro | lat | lon
const TABLE = `
Ciudad de México|cdmx,ciudad de mexico,df,d f,mexico df,distrito federal,chilangolandia|metro|Ciudad de México|cdmx|19.4326|-99.1332
Monterrey|monterrey,mty,monterey,zona metropolitana de monterrey|metro|Nuevo León|monterrey|25.6866|-100.3161
Nuevo León|nuevo leon,nl,n l|metro|Nuevo León|monterrey|25.6866|-100.3161
Guadalajara|guadalajara,gdl,guanatos,zmg,tapatia|metro|Jalisco|guadalajara|20.6597|-103.3496
Jalisco|jalisco|metro|Jalisco|guadalajara|20.6597|-103.3496
Puebla|puebla|metro|Puebla|puebla|19.0414|-98.2063
Querétaro|queretaro,qro,queretero|metro|Querétaro|queretaro|20.5888|-100.3899
Cuernavaca|cuernavaca,cuerna|metro|Morelos|cuernavaca|18.9242|-99.2216
Morelos|morelos|metro|Morelos|cuernavaca|18.9242|-99.2216
Estado de México|estado de mexico,edomex,edo mex,edo de mex,edo de mexico|state|Estado de México||19.35|-99.63
Polanco|polanco|zone|Ciudad de México|cdmx|19.433|-99.197
Miguel Hidalgo|miguel hidalgo|zone|Ciudad de México|cdmx|19.4326|-99.2
Santa Fe|santa fe|zone|Ciudad de México|cdmx|19.3597|-99.2597
Álvaro Obregón|alvaro obregon|zone|Ciudad de México|cdmx|19.359|-99.203
Pedregal|pedregal,jardines del pedregal,pedregal de san angel|zone|Ciudad de México|cdmx|19.315|-99.205
San Ángel|san angel|zone|Ciudad de México|cdmx|19.347|-99.19
Azcapotzalco|azcapotzalco,azcapo|zone|Ciudad de México|cdmx|19.4869|-99.1836
El Rosario|el rosario|zone|Ciudad de México|cdmx|19.505|-99.2
Gustavo A. Madero|gustavo a madero,gam|zone|Ciudad de México|cdmx|19.482|-99.113
Magdalena de las Salinas|magdalena de las salinas|zone|Ciudad de México|cdmx|19.487|-99.137
Lindavista|lindavista|zone|Ciudad de México|cdmx|19.4871|-99.1293
Metro Politécnico|metro politecnico,zacatenco|zone|Ciudad de México|cdmx|19.5005|-99.149
La Villa|la villa,basilica|zone|Ciudad de México|cdmx|19.484|-99.117
Cuauhtémoc|cuauhtemoc|zone|Ciudad de México|cdmx|19.4326|-99.1514
Centro Histórico|centro historico,zocalo|zone|Ciudad de México|cdmx|19.4326|-99.1332
Roma|colonia roma,la roma,roma norte,roma sur|zone|Ciudad de México|cdmx|19.415|-99.162
Condesa|condesa,la condesa|zone|Ciudad de México|cdmx|19.411|-99.174
Juárez|colonia juarez|zone|Ciudad de México|cdmx|19.427|-99.16
Benito Juárez|benito juarez|zone|Ciudad de México|cdmx|19.372|-99.158
Narvarte|narvarte|zone|Ciudad de México|cdmx|19.391|-99.156
Nápoles|napoles|zone|Ciudad de México|cdmx|19.393|-99.177
Coyoacán|coyoacan|zone|Ciudad de México|cdmx|19.35|-99.162
Tlalpan|tlalpan|zone|Ciudad de México|cdmx|19.2965|-99.1679
Xochimilco|xochimilco|zone|Ciudad de México|cdmx|19.2572|-99.1029
Iztapalapa|iztapalapa|zone|Ciudad de México|cdmx|19.3574|-99.0671
Iztacalco|iztacalco|zone|Ciudad de México|cdmx|19.3953|-99.0979
Venustiano Carranza|venustiano carranza|zone|Ciudad de México|cdmx|19.4303|-99.0995
Tláhuac|tlahuac|zone|Ciudad de México|cdmx|19.2864|-99.0045
Milpa Alta|milpa alta|zone|Ciudad de México|cdmx|19.1925|-99.0231
Magdalena Contreras|magdalena contreras,contreras|zone|Ciudad de México|cdmx|19.3021|-99.2436
Cuajimalpa|cuajimalpa|zone|Ciudad de México|cdmx|19.357|-99.299
Interlomas|interlomas|zone|Estado de México|cdmx|19.398|-99.273
Huixquilucan|huixquilucan|zone|Estado de México|cdmx|19.36|-99.35
Bosques de las Lomas|bosques de las lomas,lomas de chapultepec,las lomas|zone|Ciudad de México|cdmx|19.405|-99.245
Satélite|satelite,ciudad satelite,cd satelite,plaza satelite,torres de satelite|zone|Estado de México|cdmx|19.507|-99.235
Naucalpan|naucalpan|zone|Estado de México|cdmx|19.4785|-99.2396
Tlalnepantla|tlalnepantla,tlalnepantla de baz,tlalne|zone|Estado de México|cdmx|19.5402|-99.195
Atizapán|atizapan,atizapan de zaragoza|zone|Estado de México|cdmx|19.5597|-99.2675
Cuautitlán Izcalli|cuautitlan izcalli,izcalli|zone|Estado de México|cdmx|19.6469|-99.2465
Cuautitlán|cuautitlan|zone|Estado de México|cdmx|19.67|-99.18
Tultitlán|tultitlan|zone|Estado de México|cdmx|19.645|-99.169
Coacalco|coacalco|zone|Estado de México|cdmx|19.628|-99.11
Ecatepec|ecatepec|zone|Estado de México|cdmx|19.6012|-99.0502
Tecámac|tecamac|zone|Estado de México|cdmx|19.713|-98.968
Nezahualcóyotl|nezahualcoyotl,neza|zone|Estado de México|cdmx|19.4006|-99.0148
Chalco|chalco|zone|Estado de México|cdmx|19.263|-98.897
Texcoco|texcoco|zone|Estado de México|cdmx|19.5119|-98.8825
Toluca|toluca|city|Estado de México||19.2826|-99.6557
Metepec|metepec|city|Estado de México||19.2516|-99.6047
San Pedro Garza García|san pedro garza garcia,san pedro garza,san pedro,spgg|zone|Nuevo León|monterrey|25.6573|-100.4022
Valle Oriente|valle oriente|zone|Nuevo León|monterrey|25.643|-100.32
Cumbres|cumbres|zone|Nuevo León|monterrey|25.73|-100.4
San Nicolás de los Garza|san nicolas de los garza,san nicolas|zone|Nuevo León|monterrey|25.7417|-100.3022
Guadalupe (Nuevo León)|guadalupe nuevo leon,guadalupe nl|zone|Nuevo León|monterrey|25.6775|-100.2597
Apodaca|apodaca|zone|Nuevo León|monterrey|25.7817|-100.1886
Santa Catarina|santa catarina|zone|Nuevo León|monterrey|25.6733|-100.4581
Escobedo|escobedo,general escobedo|zone|Nuevo León|monterrey|25.7969|-100.3347
Zapopan|zapopan|zone|Jalisco|guadalajara|20.7236|-103.3848
Andares|andares|zone|Jalisco|guadalajara|20.71|-103.412
Providencia|providencia,italia providencia|zone|Jalisco|guadalajara|20.69|-103.39
Chapalita|chapalita|zone|Jalisco|guadalajara|20.665|-103.4
Tlaquepaque|tlaquepaque,san pedro tlaquepaque|zone|Jalisco|guadalajara|20.6409|-103.2934
Tonalá|tonala|zone|Jalisco|guadalajara|20.6245|-103.2345
Tlajomulco|tlajomulco,tlajomulco de zuniga|zone|Jalisco|guadalajara|20.4736|-103.4471
Puerto Vallarta|puerto vallarta,vallarta|city|Jalisco||20.6534|-105.2253
Cholula|cholula,san andres cholula,san pedro cholula|zone|Puebla|puebla|19.0633|-98.3064
Angelópolis|angelopolis,lomas de angelopolis|zone|Puebla|puebla|19.03|-98.235
Atlixco|atlixco|city|Puebla||18.9088|-98.4327
Juriquilla|juriquilla|zone|Querétaro|queretaro|20.7036|-100.4469
El Marqués|el marques|zone|Querétaro|queretaro|20.61|-100.32
Corregidora|corregidora|zone|Querétaro|queretaro|20.536|-100.44
San Juan del Río|san juan del rio|city|Querétaro||20.3886|-99.9962
Jiutepec|jiutepec|zone|Morelos|cuernavaca|18.88|-99.18
Temixco|temixco|zone|Morelos|cuernavaca|18.85|-99.23
Cuautla|cuautla|city|Morelos||18.8128|-98.9544
León|leon,leon guanajuato,leon gto|city|Guanajuato||21.1221|-101.6823
Guanajuato|guanajuato,gto|state|Guanajuato||21.019|-101.2574
Celaya|celaya|city|Guanajuato||20.5235|-100.8157
Irapuato|irapuato|city|Guanajuato||20.6767|-101.3563
San Miguel de Allende|san miguel de allende|city|Guanajuato||20.9144|-100.7452
Aguascalientes|aguascalientes,aguas|city|Aguascalientes||21.8853|-102.2916
San Luis Potosí|san luis potosi,slp|city|San Luis Potosí||22.1565|-100.9855
Zacatecas|zacatecas|city|Zacatecas||22.7709|-102.5832
Morelia|morelia|city|Michoacán||19.706|-101.195
Michoacán|michoacan|state|Michoacán||19.5665|-101.7068
Uruapan|uruapan|city|Michoacán||19.4208|-102.0628
Pachuca|pachuca|city|Hidalgo||20.1011|-98.7591
Hidalgo|estado de hidalgo|state|Hidalgo||20.0911|-98.7624
Tlaxcala|tlaxcala|city|Tlaxcala||19.3139|-98.2404
Toluca de Lerdo|toluca de lerdo|city|Estado de México||19.2826|-99.6557
Acapulco|acapulco|city|Guerrero||16.8531|-99.8237
Guerrero|guerrero|state|Guerrero||17.4392|-99.5451
Chilpancingo|chilpancingo|city|Guerrero||17.5506|-99.5058
Oaxaca|oaxaca|city|Oaxaca||17.0732|-96.7266
Veracruz|veracruz|city|Veracruz||19.1738|-96.1342
Xalapa|xalapa,jalapa|city|Veracruz||19.5438|-96.9102
Córdoba|cordoba|city|Veracruz||18.8842|-96.9256
Orizaba|orizaba|city|Veracruz||18.8499|-97.1036
Coatzacoalcos|coatzacoalcos|city|Veracruz||18.1345|-94.459
Villahermosa|villahermosa|city|Tabasco||17.9892|-92.9475
Tabasco|tabasco|state|Tabasco||17.8409|-92.6189
Tuxtla Gutiérrez|tuxtla,tuxtla gutierrez|city|Chiapas||16.7516|-93.1161
Chiapas|chiapas|state|Chiapas||16.7569|-93.1292
Mérida|merida|city|Yucatán||20.9674|-89.5926
Yucatán|yucatan|state|Yucatán||20.7099|-89.0943
Cancún|cancun|city|Quintana Roo||21.1619|-86.8515
Playa del Carmen|playa del carmen,playa|city|Quintana Roo||20.6296|-87.0739
Tulum|tulum|city|Quintana Roo||20.2114|-87.4654
Chetumal|chetumal|city|Quintana Roo||18.5001|-88.2961
Quintana Roo|quintana roo|state|Quintana Roo||19.1817|-88.4791
Campeche|campeche|city|Campeche||19.8301|-90.5349
Tampico|tampico|city|Tamaulipas||22.2331|-97.8611
Ciudad Victoria|ciudad victoria|city|Tamaulipas||23.7369|-99.1411
Reynosa|reynosa|city|Tamaulipas||26.0508|-98.2979
Matamoros|matamoros|city|Tamaulipas||25.8697|-97.5027
Nuevo Laredo|nuevo laredo|city|Tamaulipas||27.4779|-99.5496
Tamaulipas|tamaulipas|state|Tamaulipas||24.2669|-98.8363
Saltillo|saltillo|city|Coahuila||25.4232|-101.0053
Torreón|torreon|city|Coahuila||25.5428|-103.4068
Monclova|monclova|city|Coahuila||26.9069|-101.4207
Coahuila|coahuila|state|Coahuila||27.0587|-101.7068
Chihuahua|chihuahua|city|Chihuahua||28.632|-106.0691
Ciudad Juárez|ciudad juarez,cd juarez,juarez|city|Chihuahua||31.6904|-106.4245
Durango|durango|city|Durango||24.0277|-104.6532
Culiacán|culiacan|city|Sinaloa||24.8091|-107.394
Mazatlán|mazatlan|city|Sinaloa||23.2494|-106.4111
Los Mochis|los mochis|city|Sinaloa||25.7904|-108.9859
Sinaloa|sinaloa|state|Sinaloa||25.1721|-107.4795
Hermosillo|hermosillo|city|Sonora||29.0729|-110.9559
Ciudad Obregón|ciudad obregon,cd obregon|city|Sonora||27.4828|-109.9304
Sonora|sonora|state|Sonora||29.2972|-110.3309
Tijuana|tijuana,tj|city|Baja California||32.5149|-117.0382
Mexicali|mexicali|city|Baja California||32.6245|-115.4523
Ensenada|ensenada|city|Baja California||31.8667|-116.5964
Baja California|baja california,baja|state|Baja California||30.8406|-115.2838
La Paz|la paz|city|Baja California Sur||24.1426|-110.3128
Los Cabos|los cabos,cabo san lucas,san jose del cabo|city|Baja California Sur||22.8905|-109.9167
Tepic|tepic|city|Nayarit||21.5042|-104.8946
Nayarit|nayarit|state|Nayarit||21.7514|-104.8455
Colima|colima|city|Colima||19.2452|-103.7241
`;

const fold = (text: string) => normalizeText(text);

export const PLACES: ReadonlyArray<Place> = TABLE.trim()
  .split("\n")
  .map((line) => {
    const [name, aliases, kind, state, metro, lat, lon] = line.split("|") as [string, string, PlaceKind, string, string, string, string];
    return { name, kind, state, metro: metro === "" ? undefined : metro, coordinates: [Number(lat), Number(lon)] as const, aliases: aliases.split(",").map(fold) };
  });

/** Everyday words one letter away from a place name: never read as the place ("pueblo" is not Puebla). */
const NOT_PLACES = new Set(["pueblo", "pueblos", "centro", "ciudad", "estado", "colina", "colima", "leones", "playas", "tolucas", "sonara", "cumbre", "monte", "celeya"]);

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

const ENTRIES = PLACES.flatMap((place) => place.aliases.map((alias) => ({ place, words: alias.split(" ") }))).sort((a, b) => b.words.length - a.words.length);

/**
 * Every place named in the question, left to right; at each position the longest name wins, so
 * "nuevo leon" is Nuevo León and "leon" alone is León, Guanajuato. "playa" and "baja" need a
 * longer name around them ("playa del carmen", "baja california") since they are everyday words.
 */
export const findPlaces = (question: string): ReadonlyArray<PlaceMention> => {
  const tokens = fold(question).split(" ").filter((t) => t !== "");
  const found: PlaceMention[] = [];
  for (let i = 0; i < tokens.length; ) {
    const entry = ENTRIES.find(
      ({ words }) =>
        i + words.length <= tokens.length &&
        !(words.length === 1 && SHORT_EVERYDAY.has(words[0]!)) &&
        words.every((w, k) => sameWord(tokens[i + k]!, w)),
    );
    if (entry) {
      found.push({ place: entry.place, words: tokens.slice(i, i + entry.words.length), start: i });
      i += entry.words.length;
    } else i += 1;
  }
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
