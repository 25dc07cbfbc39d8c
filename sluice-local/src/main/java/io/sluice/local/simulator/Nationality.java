package io.sluice.local.simulator;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The data behind one nationality of the Random User simulator. As on randomuser.me, some
 * nationalities have numeric postcodes and others text ones, and some write names in a non-Latin
 * script.
 */
record Nationality(
    String code,
    String country,
    List<String> maleFirst,
    List<String> femaleFirst,
    List<String> last,
    List<String> streets,
    List<String> cities,
    List<String> states,
    Function<RandomGenerator, Object> postcode,
    String phoneFormat,
    String idName) {

  static final Map<String, Nationality> ALL = build();

  private static Object digits(RandomGenerator r, int n) {
    int low = (int) Math.pow(10, n - 1);
    return low + r.nextInt(9 * low);
  }

  private static String letters(RandomGenerator r, int n) {
    var sb = new StringBuilder();
    for (int i = 0; i < n; i++) sb.append((char) ('A' + r.nextInt(26)));
    return sb.toString();
  }

  private static Map<String, Nationality> build() {
    var list =
        List.of(
            new Nationality(
                "US",
                "United States",
                List.of("James", "Brandon", "Eli", "Dwayne", "Howard", "Jesse", "Nathan", "Roy"),
                List.of("Jennie", "Kim", "Tracey", "Beverly", "Loretta", "Addison", "Ella", "Gail"),
                List.of("Nichols", "Hoffman", "Reyes", "Carter", "Wheeler", "Lane", "Ward", "Cole"),
                List.of("Valwood Pkwy", "Pecan Acres Ln", "Lakeshore Rd", "Hillcrest Rd"),
                List.of("Billings", "Fort Worth", "Seattle", "Lansing", "Stockton", "Tulsa"),
                List.of("Michigan", "Texas", "Washington", "Oregon", "Ohio", "Nevada"),
                r -> digits(r, 5),
                "(###) ###-####",
                "SSN"),
            new Nationality(
                "GB",
                "United Kingdom",
                List.of("Oliver", "Harry", "Jack", "Charlie", "Thomas", "George", "Oscar"),
                List.of("Amelia", "Olivia", "Isla", "Emily", "Poppy", "Ava", "Jessica"),
                List.of("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans"),
                List.of("High Street", "Station Road", "Church Lane", "Mill Lane"),
                List.of("Bristol", "Leeds", "York", "Sheffield", "Oxford", "Derby"),
                List.of("Avon", "West Yorkshire", "North Yorkshire", "Oxfordshire", "Kent"),
                r -> letters(r, 2) + (1 + r.nextInt(9)) + " " + r.nextInt(10) + letters(r, 2),
                "0###-###-####",
                "NINO"),
            new Nationality(
                "DE",
                "Germany",
                List.of("Lukas", "Jürgen", "Günter", "Max", "Jörg", "Stefan", "Uwe"),
                List.of("Jutta", "Käthe", "Ursula", "Sabine", "Monika", "Jördis", "Heike"),
                List.of("Müller", "Schröder", "Weiß", "Böhm", "Groß", "Hoffmann", "Krüger"),
                List.of("Schulstraße", "Gartenweg", "Bahnhofstraße", "Mühlenweg"),
                List.of("Berlin", "München", "Köln", "Düsseldorf", "Görlitz", "Lübeck"),
                List.of("Berlin", "Bayern", "Nordrhein-Westfalen", "Sachsen", "Hessen"),
                r -> digits(r, 5),
                "0###-#######",
                "SVNR"),
            new Nationality(
                "FR",
                "France",
                List.of("Théo", "Noé", "Jérôme", "Clément", "Loïc", "Gaëtan", "Hugo"),
                List.of("Léa", "Chloé", "Anaïs", "Mélanie", "Zoé", "Inès", "Maëlle"),
                List.of("Lefèvre", "Gérard", "Moreau", "Mercier", "Rousseau", "Garnier"),
                List.of("Rue de la Paix", "Avenue Jean-Jaurès", "Rue Pasteur", "Place du Marché"),
                List.of("Paris", "Lyon", "Nîmes", "Besançon", "Orléans", "Saint-Étienne"),
                List.of("Île-de-France", "Rhône", "Gard", "Doubs", "Loiret", "Loire"),
                r -> digits(r, 5),
                "0#-##-##-##-##",
                "INSEE"),
            new Nationality(
                "CA",
                "Canada",
                List.of("Liam", "Noah", "William", "Félix", "Logan", "Owen"),
                List.of("Charlotte", "Sophie", "Léa", "Emma", "Maya", "Chloe"),
                List.of("Tremblay", "Roy", "Gagnon", "Côté", "Martin", "Lee"),
                List.of("Lakeshore Rd", "King St", "Dufferin St", "Rue Principale"),
                List.of("Toronto", "Montréal", "Vancouver", "Halifax", "Regina"),
                List.of("Ontario", "Québec", "British Columbia", "Nova Scotia"),
                r ->
                    letters(r, 1)
                        + r.nextInt(10)
                        + letters(r, 1)
                        + " "
                        + r.nextInt(10)
                        + letters(r, 1)
                        + r.nextInt(10),
                "###-###-####",
                "SIN"),
            new Nationality(
                "NL",
                "Netherlands",
                List.of("Daan", "Sem", "Bram", "Jesse", "Thijs", "Ruben"),
                List.of("Sanne", "Fleur", "Lotte", "Femke", "Noor", "Ilse"),
                List.of("de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser"),
                List.of("Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsplein"),
                List.of("Utrecht", "Groningen", "Haarlem", "Leiden", "Delft"),
                List.of("Utrecht", "Groningen", "Noord-Holland", "Zuid-Holland"),
                r -> digits(r, 4) + " " + letters(r, 2),
                "(0###) ######",
                "BSN"),
            new Nationality(
                "BR",
                "Brazil",
                List.of("João", "Álvaro", "Caetano", "Vítor", "Lauro", "Sérgio"),
                List.of("Luíza", "Ângela", "Débora", "Lúcia", "Mônica", "Cecília"),
                List.of("da Silva", "Araújo", "Gonçalves", "Conceição", "Peixoto", "Lopes"),
                List.of("Rua Três", "Rua São Paulo", "Avenida Brasil", "Rua Sete de Setembro"),
                List.of("São Paulo", "Goiânia", "Belém", "Maceió", "Jundiaí"),
                List.of("São Paulo", "Goiás", "Pará", "Alagoas", "Paraná"),
                r -> String.format("%05d-%03d", r.nextInt(100000), r.nextInt(1000)),
                "(##) ####-####",
                "CPF"),
            new Nationality(
                "IR",
                "Iran",
                List.of("امیرعلی", "محمدطاها", "پارسا", "سینا", "آرین", "کیان"),
                List.of("نیایش", "یسنا", "کیمیا", "هلیا", "ستایش", "مهسا"),
                List.of("کریمی", "احمدی", "موسوی", "رضایی", "حسینی", "صدر"),
                List.of("میدان شهید نظری", "شهید گمنام", "کلاهدوز", "پارک دانشجو"),
                List.of("تهران", "مشهد", "اصفهان", "شیراز", "تبریز"),
                List.of("تهران", "خراسان رضوی", "اصفهان", "فارس", "آذربایجان شرقی"),
                r -> digits(r, 5),
                "###-########",
                ""),
            new Nationality(
                "UA",
                "Ukraine",
                List.of("Богдан", "Тарас", "Ярослав", "Олег", "Дмитро", "Степан"),
                List.of("Оксана", "Ірина", "Олеся", "Марія", "Наталія", "Соломія"),
                List.of("Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравчук"),
                List.of("Шевченка", "Лесі Українки", "Хрещатик", "Садова"),
                List.of("Київ", "Львів", "Одеса", "Харків", "Полтава"),
                List.of("Київська", "Львівська", "Одеська", "Харківська", "Полтавська"),
                r -> digits(r, 5),
                "(0##) ###-####",
                ""),
            new Nationality(
                "IN",
                "India",
                List.of("Aarav", "Vihaan", "Arjun", "Reyansh", "Ishaan", "Kabir"),
                List.of("Saanvi", "Ananya", "Diya", "Aadhya", "Pari", "Myra"),
                List.of("Sharma", "Patel", "Reddy", "Nair", "Iyer", "Gupta"),
                List.of("MG Road", "Station Road", "Gandhi Nagar", "Nehru Street"),
                List.of("Pune", "Chennai", "Jaipur", "Lucknow", "Kochi"),
                List.of("Maharashtra", "Tamil Nadu", "Rajasthan", "Kerala"),
                r -> digits(r, 6),
                "##########",
                "UIDAI"),
            new Nationality(
                "NO",
                "Norway",
                List.of("Håkon", "Øystein", "Bjørn", "Ståle", "Even", "Sølve"),
                List.of("Åse", "Kjærsti", "Ingrid", "Sølvi", "Ragnhild", "Tone"),
                List.of("Hansen", "Johansen", "Løken", "Bråten", "Sæther", "Ødegård"),
                List.of("Storgata", "Kirkeveien", "Skogveien", "Fjordgata"),
                List.of("Oslo", "Bergen", "Tromsø", "Ålesund", "Bodø"),
                List.of("Oslo", "Vestland", "Troms", "Møre og Romsdal", "Nordland"),
                r -> String.format("%04d", r.nextInt(10000)),
                "########",
                "FN"),
            new Nationality(
                "TR",
                "Turkey",
                List.of("Çağan", "Gökhan", "Şükrü", "Ömer", "İlker", "Ümit"),
                List.of("Gülşen", "Şule", "Ayşe", "Özlem", "İpek", "Çiğdem"),
                List.of("Yılmaz", "Öztürk", "Çelik", "Şahin", "Doğan", "Aydın"),
                List.of("Atatürk Sk", "Bağdat Cd", "İstiklal Cd", "Kıbrıs Şehitleri Cd"),
                List.of("İstanbul", "Ankara", "İzmir", "Şanlıurfa", "Eskişehir"),
                List.of("İstanbul", "Ankara", "İzmir", "Şanlıurfa", "Eskişehir"),
                r -> digits(r, 5),
                "(###)-###-####",
                ""));
    var map = new java.util.LinkedHashMap<String, Nationality>();
    for (Nationality n : list) map.put(n.code(), n);
    return java.util.Collections.unmodifiableMap(map);
  }
}
