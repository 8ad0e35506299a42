namespace Registry.Api.Import;

/// <summary>
/// Name pools for the synthetic register. Bogus 35.6.5 ships zu_ZA and af_ZA locales without name data
/// (they fall back to US English names) and en_ZA with a few local surnames only, so the generator draws
/// from these pools with Bogus's seeded randomizer instead. A household takes one pool, weighted roughly
/// by the census's population groups and home languages; these are common names, not real people.
/// </summary>
public static class SouthAfricanNames
{
    public sealed record Pool(string Name, double Share, string[] Female, string[] Male, string[] Surnames);

    public static readonly Pool[] Pools =
    [
        new("Nguni", 0.44,
            ["Nomvula", "Thandiwe", "Zanele", "Ayanda", "Busisiwe", "Nokuthula", "Sibongile", "Lindiwe", "Nosipho", "Zodwa", "Thembeka", "Nompumelelo", "Andiswa", "Siphesihle", "Asanda", "Lwandle", "Nandi", "Khanyisile"],
            ["Sipho", "Bongani", "Mandla", "Themba", "Lwazi", "Sibusiso", "Andile", "Musa", "Vusi", "Jabulani", "Sandile", "Lunga", "Mthunzi", "Siyabonga", "Nkosinathi", "Xolani", "Luthando", "Bheki"],
            ["Dlamini", "Nkosi", "Ndlovu", "Khumalo", "Sithole", "Mahlangu", "Zulu", "Ngcobo", "Mkhize", "Buthelezi", "Nxumalo", "Mthembu", "Shabalala", "Cele", "Zwane", "Ngubane", "Mbatha", "Hlongwane", "Mabaso", "Masilela", "Gumede", "Ntuli", "Mnguni", "Xaba"]),
        new("Sotho-Tswana", 0.25,
            ["Lerato", "Palesa", "Naledi", "Karabo", "Refilwe", "Mpho", "Dineo", "Keabetswe", "Boitumelo", "Tshegofatso", "Masego", "Lesedi", "Kamogelo", "Onalenna", "Puleng", "Mamello"],
            ["Thabo", "Kagiso", "Tshepo", "Sello", "Kabelo", "Neo", "Lebogang", "Tumelo", "Katlego", "Teboho", "Mpho", "Kgosi", "Lehlohonolo", "Tebogo", "Oratile", "Motlatsi"],
            ["Mokoena", "Molefe", "Mofokeng", "Radebe", "Tshabalala", "Modise", "Mokoena", "Motaung", "Sebola", "Letsoalo", "Mohlala", "Moloi", "Nthite", "Mashaba", "Phiri", "Kekana", "Mothibi", "Seleka"]),
        new("Tsonga-Venda", 0.10,
            ["Tsakani", "Hlulani", "Nyiko", "Rirhandzu", "Mulalo", "Rudzani", "Tshilidzi", "Khensani", "Ntsako", "Vhutshilo"],
            ["Hlulani", "Tiyani", "Rhulani", "Ntsako", "Mulalo", "Rudzani", "Tshifhiwa", "Khathutshelo", "Vutomi", "Murendeni"],
            ["Baloyi", "Maluleke", "Mathebula", "Chauke", "Nkuna", "Shirinda", "Netshiavha", "Ramavhoya", "Mudau", "Nemakonde", "Rikhotso", "Hlungwani"]),
        new("Afrikaans", 0.13,
            ["Anna", "Chantelle", "Elmarie", "Riana", "Charmaine", "Monique", "Zelda", "Marlene", "Lizelle", "Bianca", "Natasha", "Mariska"],
            ["Johan", "Pieter", "Willem", "Jacques", "Ruan", "Gerhard", "Dewald", "Clive", "Ashwin", "Brandon", "Ricardo", "Francois"],
            ["van der Merwe", "Botha", "Pretorius", "Smit", "du Plessis", "Venter", "Coetzee", "Steyn", "van Wyk", "Jacobs", "Adams", "Petersen", "Hendricks", "Isaacs", "Abrahams", "Fortuin", "Januarie", "Booysen"]),
        new("English", 0.05,
            ["Sarah", "Jessica", "Emma", "Megan", "Nicole", "Claire", "Lauren", "Kim"],
            ["David", "Michael", "Andrew", "Craig", "Gareth", "Sean", "Bradley", "Warren"],
            ["Smith", "Williams", "Brown", "Taylor", "Clarke", "Wilson", "Roberts", "Morris", "Walker", "Harris"]),
        new("Indian", 0.03,
            ["Priya", "Kavitha", "Fatima", "Ayesha", "Shanice", "Nirvana", "Yasmin", "Devi"],
            ["Ravi", "Mohammed", "Pravin", "Yusuf", "Kevin", "Ashok", "Imraan", "Suren"],
            ["Naidoo", "Pillay", "Govender", "Reddy", "Moodley", "Chetty", "Padayachee", "Singh", "Maharaj", "Khan", "Moosa", "Essop"]),
    ];

    /// <summary>Street names found in many South African towns.</summary>
    public static readonly string[] Streets =
    [
        "Main Road", "Church Street", "Nelson Mandela Drive", "Voortrekker Road", "Oxford Road", "Jabavu Street", "Sisulu Avenue", "Long Street",
        "Market Street", "Biko Street", "Kruger Street", "Albertina Sisulu Road", "Beyers Naude Drive", "Jan Smuts Avenue", "Station Road",
        "Oliver Tambo Drive", "Vilakazi Street", "Chris Hani Road", "Hospital Street", "Kerk Street", "Protea Street", "Jacaranda Avenue",
        "Mimosa Street", "Msimang Street", "Moshoeshoe Street", "Walter Sisulu Drive", "Govan Mbeki Avenue", "Steve Biko Road",
    ];
}
