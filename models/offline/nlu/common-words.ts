/**
 * Everyday Spanish chat words. They are never fuzzy-matched to a car name ("marca" is not "March",
 * "onda" is not "Honda") and they tell real text from keyboard mashing.
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  `a al algo alguien algun alguna alguno algunos alla alli ahi aqui aca asi ano anos antes aun aunque ay
  bien bueno buena buenas buenos busco buscando buscar
  cada casa caro cara carro carros coche coches auto autos carrito como con cual cuales cuando cuanto cuanta cuantos cuantas
  creo cosa cosas cual claro cerca centro ciudad comprar compra comprarlo comprarla
  da dale dar de del desde dia dias dice dijo donde dos dame decir digo dime
  el ella ellos en entre era eres es esa ese eso esta este esto estoy estan estas estamos esos esas
  favor fin fue familia sean sea loco loca segura seguro seguros chocado chocados chocada
  pasear paseo pasar paso pasado nietos nieto automovil automoviles
  kids kid budget please cool lol thanks thank mileage okay nice verla verlo verlas verlos
  coupe coupes cupe sedan sedanes hatchback minivan camioneta camionetas pickup pickups puertas
  gracias gusta gustaria gusto
  ha hay hace hola hasta hoy habla hablar
  igual ir
  ja jaja jajaja jeje
  la las le les lo los luego
  mas me mi mis mio mucho muy mal mejor menos mes meses mismo mira mire marca marcas modelo modelos momento mando manda
  nada nadie ni no nos nosotros nuevo nueva nunca
  o otra otro otros onda oye ok okay
  para pero poco por porque pues puede puedo precio precios pago pagar pagos placer plan pregunta primero
  que quien quiero quisiera quiere queria
  sea ser si sin sobre solo son soy su sus salu saludos seria sale
  tal tambien tan tanto te tengo tener tiene tienen tienes todo todos toda todas trabajo tu tus tras trae
  un una uno unos unas usted ustedes ultima ultimo ultimos
  va vale vamos ver vez voy venta vendo vendes venden ventas vuelvo volvi vida
  y ya yo audio solo pollo sol fuerte hondo
  alcanza alcanzan alcanzaria avanzar avanzado marcar centro cerca mando mandas mandame seria serian
  versiones version verde verdad venta ventas vento viento costo costos cuesta cuestan cotiza cotizar
  familiar familiares familia camioneta camionetas kilometros kilometraje mensual mensualidad mensualidades
  enganche plazo plazos credito creditos interes intereses pesos precio precios barato barata caro cara`
    .split(/\s+/)
    .filter((w) => w !== ""),
);
