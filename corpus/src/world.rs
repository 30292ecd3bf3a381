//! The fictional world a generated corpus reports on: a country's people, places and
//! organisations, which recur across topics and days (so a corpus has the repeated proper names
//! that topics and search are built from), the story templates of each topic, and [`story`],
//! which draws one article's headline, lead and paragraphs from them.
//!
//! Headline templates are written in sentence case with proper nouns capitalised, the way most
//! real sites write them, and mix the shapes real headlines take: plain statements, questions,
//! "Topic: what happened" and quoted remarks. A site's [`Case`] turns them into its own style.

use super::sites::Case;
use crate::calendar::{MONTHS, WEEKDAYS};
use chrono::NaiveDate;
use rand::RngExt;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

struct Person {
    role: &'static str,
    name: &'static str,
    surname: &'static str,
    affiliation: &'static str,
}

const fn p(
    role: &'static str,
    name: &'static str,
    surname: &'static str,
    affiliation: &'static str,
) -> Person {
    Person {
        role,
        name,
        surname,
        affiliation,
    }
}

struct Topic {
    name: &'static str,
    people: &'static [Person],
    orgs: &'static [&'static str],
    /// (headline, lead): the lead restates the headline, as a news lead does.
    stories: &'static [(&'static str, &'static str)],
    sentences: &'static [&'static str],
}

const CITIES: &[&str] = &[
    "Port Aldwick",
    "Velmora",
    "Harrowgate",
    "Brennick",
    "Saltmere",
    "Lindenholm",
    "Corwen",
    "Eastfleet",
    "Marlow Bay",
    "Greywater",
];

const TOPICS: &[Topic] = &[
    Topic {
        name: "economy",
        people: &[
            p("Governor", "Ilse Marrow", "Marrow", "the Bank of Kestria"),
            p(
                "Finance Minister",
                "Anneke Strand",
                "Strand",
                "the government",
            ),
            p(
                "chief economist",
                "Joost Ravel",
                "Ravel",
                "Harbourline Securities",
            ),
            p(
                "President",
                "Mirela Kass",
                "Kass",
                "the Kestrian Chamber of Commerce",
            ),
        ],
        orgs: &[
            "Bank of Kestria",
            "National Statistics Office",
            "Harbourline Securities",
            "Kestrian Chamber of Commerce",
        ],
        stories: &[
            (
                "Bank of Kestria holds rates at {rate}% as inflation stays stubborn",
                "The Bank of Kestria held its main policy rate at {rate}% on {weekday}, saying inflation in services and rents was still too high to justify a cut despite signs that the economy is slowing.",
            ),
            (
                "Inflation eases to {pct}% in {month}, statistics office says",
                "Consumer price inflation eased to {pct}% in {month}, the National Statistics Office said on {weekday}, the slowest pace in more than a year as fuel and food prices fell back.",
            ),
            (
                "Strand unveils {Amount} budget aimed at {city} households",
                "Finance Minister Anneke Strand unveiled a budget of {amount} on {weekday} that she said would ease the cost of living for households in {city} and across the country without adding to inflation.",
            ),
            (
                "Kestrian exports fall {pct}% as demand from neighbours weakens",
                "Kestrian exports fell {pct}% in {month} from a year earlier, the National Statistics Office said on {weekday}, as weaker demand from the country’s neighbours hit shipments of machinery and fish.",
            ),
            (
                "Unemployment in {city} rises to {pct}%, highest since 2021",
                "Unemployment in {city} rose to {pct}% in {month}, the highest level since 2021, figures published on {weekday} showed, as construction firms and retailers cut jobs.",
            ),
            (
                "Chamber of Commerce warns {num} firms face higher energy bills",
                "The Kestrian Chamber of Commerce warned on {weekday} that {num} small firms in {city} and {city2} face sharply higher energy bills when fixed-price contracts expire this winter.",
            ),
            (
                "Will the Bank of Kestria cut rates in {month}?",
                "The Bank of Kestria signalled on {weekday} that it could cut its main policy rate of {rate}% as early as {month} if inflation keeps falling, but economists in {city} are divided over whether it will.",
            ),
            (
                "Budget: what Strand’s {Amount} plan means for {city}",
                "Finance Minister Anneke Strand’s budget of {amount}, unveiled on {weekday}, promises lower energy bills and more money for housing in {city}, but economists warned it could keep inflation higher for longer.",
            ),
        ],
        sentences: &[
            "Analysts at Harbourline Securities said the figures pointed to a slow but steady cooling of demand, and pushed back their forecast for the first rate cut to the second half of next year.",
            "{role} {name} said price growth was proving “more persistent than we had hoped” and that policy would stay tight “for as long as it takes” to bring inflation back to the 2% target.",
            "Growth slowed to 0.{digit}% in the third quarter, and business surveys pointed to weaker hiring in construction and retail, the bank said in its statement.",
            "The crown was little changed against the euro after the announcement, while yields on two-year government bonds fell {digit} basis points.",
            "Mortgage lenders in {city} said the decision offered some certainty to borrowers, although about {big} households will have to refinance fixed-rate loans before the end of the year.",
            "The National Statistics Office will publish revised figures for {month} on {weekday} evening, together with its first estimate of wage growth for the quarter.",
            "Opposition leader Maren Holt said the government had “no plan for the people who are falling behind” and called for a cut in the value added tax on energy.",
            "Economists surveyed by the Kestrian Chamber of Commerce expect growth of about 1.{digit}% next year, down from an earlier forecast of 1.{digit2}%.",
        ],
    },
    Topic {
        name: "transport",
        people: &[
            p(
                "Transport Minister",
                "Piet Lowry",
                "Lowry",
                "the government",
            ),
            p("Chief Executive", "Hanna Vogt", "Vogt", "Kestrian Rail"),
            p("Mayor", "Jonas Ferrell", "Ferrell", "Port Aldwick"),
            p(
                "union leader",
                "Sanne Kaufman",
                "Kaufman",
                "the rail workers’ union",
            ),
        ],
        orgs: &[
            "Kestrian Rail",
            "Meridian Airlines",
            "the Harbour Authority",
            "Port Aldwick Council",
        ],
        stories: &[
            (
                "Tram line {digit} extension to {city} delayed until {month}",
                "The extension of tram line {digit} to {city} will not open until {month}, Port Aldwick Council said on {weekday}, blaming flooded tunnels and a shortage of signalling engineers.",
            ),
            (
                "Kestrian Rail raises fares by {pct}% on {city} commuter routes",
                "Kestrian Rail said on {weekday} it would raise fares by {pct}% on commuter routes into {city} from next month, the second increase this year, citing higher energy and staff costs.",
            ),
            (
                "Rail workers vote to strike over pay and night shifts",
                "Rail workers voted on {weekday} to strike over pay and night shifts, the rail workers’ union said, raising the prospect of disruption on lines between {city} and {city2} before the holidays.",
            ),
            (
                "Meridian Airlines cancels {num} flights as fog closes Velmora airport",
                "Meridian Airlines cancelled {num} flights on {weekday} after thick fog closed Velmora airport for most of the morning, leaving thousands of passengers stranded in the terminal.",
            ),
            (
                "{city} bridge reopens after {num}-day repair",
                "The main road bridge in {city} reopened to traffic on {weekday} after a {num}-day repair, ending long detours for commuters and delivery drivers.",
            ),
            (
                "Harbour Authority approves {Amount} ferry terminal in {city}",
                "The Harbour Authority approved a new ferry terminal in {city} worth {amount} on {weekday}, saying it would double capacity on the crossing to {city2} by the end of the decade.",
            ),
            (
                "Rail strike: what {city} commuters need to know",
                "Rail workers in {city} and {city2} will strike from {weekday}, the rail workers’ union said, and Kestrian Rail warned commuters to expect few trains and crowded buses until the dispute over pay is settled.",
            ),
            (
                "Lowry: ‘Passengers in {city} will see the difference within months’",
                "Transport Minister Piet Lowry promised on {weekday} that passengers on the lines into {city} would “see the difference within months”, as he set out a plan for more frequent trains at peak times.",
            ),
        ],
        sentences: &[
            "{role} {name} said passengers would “see the difference within months” and promised more frequent trains at peak times on the busiest lines.",
            "Commuters in {city} have complained for months about cancelled services, overcrowded carriages and a ticket system that frequently fails at the barriers.",
            "Kestrian Rail carried about {big} passengers a day last year, still below the level it reached before the pandemic.",
            "The union said its members had been offered a rise of {digit}% and that night-shift allowances had not been raised in six years.",
            "Drivers were advised to leave extra time on the coast road between {city} and {city2}, where roadworks will continue until the end of {month}.",
            "Port Aldwick Council said the budget for the project had risen to {amount} and that it would ask the national government to cover part of the overrun.",
            "Business groups in {city} welcomed the decision but said the timetable was “far too slow” for firms that depend on the port.",
            "A spokesperson for Meridian Airlines said passengers would be rebooked free of charge and could claim meals and hotel rooms under Kestrian rules.",
        ],
    },
    Topic {
        name: "weather",
        people: &[
            p(
                "forecaster",
                "Elke Dorn",
                "Dorn",
                "the Kestrian Weather Service",
            ),
            p("Commander", "Erik Sol", "Sol", "the Coastal Guard"),
            p("Mayor", "Jonas Ferrell", "Ferrell", "Port Aldwick"),
        ],
        orgs: &[
            "Kestrian Weather Service",
            "Coastal Guard",
            "the Harbour Authority",
        ],
        stories: &[
            (
                "Storm Elske brings {num} km/h gusts to {city} coast",
                "Storm Elske brought gusts of up to {num} km/h to the coast around {city} on {weekday}, tearing down power lines and forcing the Harbour Authority to close the port for the night.",
            ),
            (
                "Flood warning issued for {city} as river rises",
                "The Kestrian Weather Service issued a flood warning for {city} on {weekday} as the river rose above its banks after three days of heavy rain across the north of the country.",
            ),
            (
                "Coastal Guard rescues {digit} fishermen off {city}",
                "The Coastal Guard rescued {digit} fishermen off {city} on {weekday} after their trawler lost power in heavy seas, Commander Erik Sol said.",
            ),
            (
                "{num} homes without power in {city} after overnight storm",
                "About {num} homes in {city} were still without power on {weekday} after an overnight storm brought down trees and cables, the regional grid operator said.",
            ),
            (
                "Snow closes schools in {city} and {city2}",
                "Heavy snow closed schools in {city} and {city2} on {weekday}, as the Kestrian Weather Service warned of icy roads and further snowfall into the weekend.",
            ),
            (
                "Storm Elske: how long will the wind last in {city}?",
                "The Kestrian Weather Service said on {weekday} that the strongest gusts of Storm Elske would ease by the weekend, though the coast around {city} could see winds of {num} km/h before then.",
            ),
        ],
        sentences: &[
            "{role} {name} urged people in low-lying areas to “stay away from the sea front and follow the advice of the emergency services”.",
            "Sandbags were handed out in {city} overnight, and volunteers helped move furniture from ground-floor flats along the river.",
            "The Kestrian Weather Service said the worst of the wind would pass by {weekday} morning but that rain would continue across the coast.",
            "Engineers worked through the night to restore power, and the grid operator said {pct}% of affected customers had been reconnected by midday.",
            "Ferries between {city} and {city2} were cancelled, and the coast road was closed at Greywater after waves threw stones across the carriageway.",
            "It was the third named storm of the season, and insurers said claims were likely to exceed {amount}.",
            "Residents said the water had risen faster than in the floods of 2019, when the river burst its banks in two places.",
        ],
    },
    Topic {
        name: "politics",
        people: &[
            p(
                "Prime Minister",
                "Tomas Verhoek",
                "Verhoek",
                "the government",
            ),
            p(
                "opposition leader",
                "Maren Holt",
                "Holt",
                "the Social Alliance",
            ),
            p("Speaker", "Odile Brandt", "Brandt", "the National Assembly"),
            p(
                "Interior Minister",
                "Kasper Nyland",
                "Nyland",
                "the government",
            ),
        ],
        orgs: &[
            "National Assembly",
            "Social Alliance",
            "Liberal Union",
            "Electoral Commission",
        ],
        stories: &[
            (
                "Verhoek survives confidence vote by {digit} votes",
                "Prime Minister Tomas Verhoek survived a confidence vote in the National Assembly on {weekday} by {digit} votes, after two members of the Liberal Union abstained at the last minute.",
            ),
            (
                "Holt calls for early election over {city} housing row",
                "Opposition leader Maren Holt called on {weekday} for an early election, accusing the government of mishandling a row over social housing in {city} that has dragged on for months.",
            ),
            (
                "National Assembly passes data protection bill after long debate",
                "The National Assembly passed a data protection bill on {weekday} after a debate that ran past midnight, giving regulators new powers to fine companies that misuse personal data.",
            ),
            (
                "Verhoek reshuffles cabinet, names new health minister",
                "Prime Minister Tomas Verhoek reshuffled the cabinet on {weekday}, naming a new health minister and moving two ministers in the first change to the government since the election.",
            ),
            (
                "Poll puts Social Alliance {digit} points ahead in {city}",
                "The Social Alliance leads by {digit} points in {city}, according to a poll published on {weekday}, a blow to the governing coalition before next year’s local elections.",
            ),
            (
                "‘We will not be distracted by games’, says Verhoek in {city}",
                "Prime Minister Tomas Verhoek said in {city} on {weekday} that his government would “not be distracted by games” from the opposition, as the row over social housing threatened to split the coalition.",
            ),
            (
                "Could the Liberal Union bring down the government?",
                "The Liberal Union, the junior partner in Tomas Verhoek’s coalition, will decide at a party meeting in {city} on {weekday} whether to stay in government after weeks of tension over the budget.",
            ),
        ],
        sentences: &[
            "{role} {name} told reporters outside the National Assembly that the government would “not be distracted by games” and would press ahead with its programme.",
            "The Liberal Union, the junior partner in the coalition, said it would decide its position at a party meeting in {city} on {weekday}.",
            "The vote followed weeks of tension over the budget, the housing plan and the future of the hospital in {city2}.",
            "Political analysts said the result showed the coalition was weaker than its majority of {digit} seats suggested.",
            "The Electoral Commission said turnout in the last local elections had been {pct}%, the lowest since the commission began keeping records.",
            "Members of the Social Alliance walked out of the chamber during the debate, accusing the Speaker of cutting short their questions.",
            "A spokesperson for the Prime Minister said he had spoken to party leaders by phone on {weekday} evening.",
        ],
    },
    Topic {
        name: "health",
        people: &[
            p(
                "Health Minister",
                "Liv Andersen",
                "Andersen",
                "the government",
            ),
            p(
                "Director",
                "Ruth Calloway",
                "Calloway",
                "the Saltmere Hospital Trust",
            ),
            p(
                "Dr",
                "Amir Haddad",
                "Haddad",
                "the Kestrian Medical Association",
            ),
        ],
        orgs: &[
            "Saltmere Hospital Trust",
            "Kestrian Medical Association",
            "Public Health Agency",
        ],
        stories: &[
            (
                "Saltmere Hospital Trust cuts waiting lists by {pct}%",
                "The Saltmere Hospital Trust said on {weekday} it had cut waiting lists for planned operations by {pct}% this year, after opening evening and weekend clinics in {city}.",
            ),
            (
                "Flu cases double in {city} as winter season starts early",
                "Flu cases in {city} doubled in a week, the Public Health Agency said on {weekday}, as the winter season started earlier than usual and hospitals prepared for a busy month.",
            ),
            (
                "Doctors warn of shortage of {num} GPs by 2030",
                "The Kestrian Medical Association warned on {weekday} that the country would be short of {num} family doctors by 2030 unless training places were increased quickly.",
            ),
            (
                "New {Amount} cancer centre opens in {city}",
                "A new cancer centre built at a cost of {amount} opened in {city} on {weekday}, meaning patients from the north of the country will no longer have to travel to {city2} for treatment.",
            ),
            (
                "Flu season: are hospitals in {city} ready?",
                "Hospitals in {city} said on {weekday} they had opened extra beds and called in staff for the flu season, which the Public Health Agency says has started earlier than usual.",
            ),
        ],
        sentences: &[
            "{role} {name} said the figures showed that “the hard work of staff is paying off” but warned that winter would test the system again.",
            "The Public Health Agency urged people over 65 and those with long-term conditions to get vaccinated before the end of {month}.",
            "Nurses at the hospital in {city} said staff shortages meant wards were often running with {digit} fewer nurses than planned.",
            "About {big} people are waiting for a first appointment with a specialist, according to the latest figures.",
            "The Kestrian Medical Association said it had raised its concerns with the Health Minister several times this year.",
            "Patients’ groups welcomed the news but said waiting times in rural areas were still far longer than in the cities.",
        ],
    },
    Topic {
        name: "energy",
        people: &[
            p(
                "Chief Executive",
                "Elias Brandt",
                "Brandt",
                "Northwind Energy",
            ),
            p("Energy Minister", "Freya Lind", "Lind", "the government"),
            p("campaigner", "Noor Visser", "Visser", "Green Coast"),
        ],
        orgs: &["Northwind Energy", "Green Coast", "the grid operator"],
        stories: &[
            (
                "Northwind Energy wins approval for offshore wind farm near {city}",
                "Northwind Energy won approval on {weekday} to build an offshore wind farm near {city}, a project of {num} turbines that the company says could power a third of Kestrian homes.",
            ),
            (
                "Energy bills to rise {pct}% in January, regulator says",
                "Household energy bills will rise by {pct}% in January, the energy regulator said on {weekday}, adding about {amount} a year to the bill of a typical family.",
            ),
            (
                "Green Coast protesters block port entrance in {city}",
                "Protesters from Green Coast blocked the entrance to the port in {city} on {weekday}, demanding an end to new licences for gas fields in the North Sea.",
            ),
            (
                "Northwind profits jump {pct}% on high power prices",
                "Northwind Energy said on {weekday} its profits had jumped {pct}% in the first nine months of the year, helped by high power prices and strong winds in the autumn.",
            ),
            (
                "Offshore wind: fishermen in {city} fear for their grounds",
                "Fishermen in {city} said on {weekday} that Northwind Energy’s offshore wind farm would close some of the richest fishing grounds in the region, and asked the government to review the approval.",
            ),
        ],
        sentences: &[
            "{role} {name} said the decision was “a turning point for the coast” and that construction could begin as early as next spring.",
            "Fishermen in {city} have opposed the plan, saying the turbines would close some of the richest fishing grounds in the region.",
            "The grid operator said it would need to invest {amount} in new cables to carry the power inland.",
            "Green Coast said the government was “moving far too slowly” and that the country would miss its 2030 climate targets.",
            "About {pct}% of Kestria’s electricity came from wind and solar power last year, up from 31% five years ago.",
            "Shares in Northwind Energy rose {digit}% in early trading in {city2} after the announcement.",
        ],
    },
    Topic {
        name: "courts",
        people: &[
            p("Judge", "Helena Voss", "Voss", "the Supreme Court"),
            p(
                "prosecutor",
                "Bram de Wit",
                "de Wit",
                "the public prosecution service",
            ),
            p(
                "Police Chief",
                "Dara Quinlan",
                "Quinlan",
                "the Port Aldwick police",
            ),
        ],
        orgs: &[
            "Supreme Court of Kestria",
            "public prosecution service",
            "Port Aldwick police",
        ],
        stories: &[
            (
                "Supreme Court rules against government on asylum transfers",
                "The Supreme Court of Kestria ruled on {weekday} that the government’s plan to transfer asylum seekers to processing centres abroad was unlawful, in a judgment read out by Judge Helena Voss.",
            ),
            (
                "Former harbour official charged with fraud in {city}",
                "A former official of the Harbour Authority was charged with fraud in {city} on {weekday}, accused of taking {amount} in payments from contractors over six years.",
            ),
            (
                "Police in {city} arrest {digit} over warehouse fire",
                "Police in {city} arrested {digit} people on {weekday} in connection with a fire that destroyed a warehouse on the industrial estate last month, Police Chief Dara Quinlan said.",
            ),
            (
                "Court orders Northwind to pay {Amount} over pollution",
                "A court in {city} ordered Northwind Energy on {weekday} to pay {amount} in damages over a fuel leak that polluted a stretch of beach near {city2} two years ago.",
            ),
            (
                "Warehouse fire: police in {city} appeal for witnesses",
                "Police in {city} appealed on {weekday} for witnesses to the fire that destroyed a warehouse on the industrial estate last month, saying they had collected footage from {num} cameras in the area.",
            ),
        ],
        sentences: &[
            "{role} {name} said the case had been “complex and painstaking” and thanked witnesses who had come forward.",
            "Lawyers for the defendants said they would study the judgment carefully before deciding whether to appeal.",
            "The trial is expected to begin in {month} and to last several weeks, the public prosecution service said.",
            "The Interior Ministry said it respected the court’s decision and would set out its response to the National Assembly on {weekday}.",
            "Human rights groups in {city} welcomed the ruling as “a victory for the rule of law”.",
            "Police said they were still appealing for witnesses and had collected footage from {num} cameras in the area.",
        ],
    },
    Topic {
        name: "sport",
        people: &[
            p("coach", "Ruben Okafor", "Okafor", "Kestria United"),
            p("captain", "Lotte Ames", "Ames", "the national team"),
            p("striker", "Milan Roos", "Roos", "Velmora Rovers"),
        ],
        orgs: &[
            "Kestria United",
            "Velmora Rovers",
            "Kestrian Football Federation",
        ],
        stories: &[
            (
                "Kestria United beat Velmora Rovers {digit}-{digit2} in harbour derby",
                "Kestria United beat Velmora Rovers {digit}-{digit2} in the harbour derby on {weekday}, moving to the top of the league in front of a crowd of {big} in Port Aldwick.",
            ),
            (
                "Okafor signs new three-year contract with Kestria United",
                "Coach Ruben Okafor signed a new three-year contract with Kestria United on {weekday}, ending weeks of speculation that he would leave for a club abroad.",
            ),
            (
                "{city} marathon draws record {big} runners",
                "A record {big} runners took part in the {city} marathon on {weekday}, which was won in two hours and {digit} minutes by a local schoolteacher.",
            ),
            (
                "National team qualifies for European Championship",
                "Kestria’s national team qualified for the European Championship on {weekday} with a {digit}-{digit2} win in {city}, led by captain Lotte Ames.",
            ),
            (
                "Okafor: ‘The players showed real character in {city}’",
                "Coach Ruben Okafor said on {weekday} that his Kestria United players had “shown real character” in a {digit}-{digit2} win in {city} that kept them in the race for the title.",
            ),
        ],
        sentences: &[
            "{role} {name} said the players had “shown real character” and that the team was now “focused on the next game, nothing else”.",
            "Milan Roos scored twice in the second half, taking his total for the season to {num} goals.",
            "The Kestrian Football Federation said ticket sales for the next home game had passed {big}.",
            "Fans gathered in the main square in {city} to watch the match on big screens, and celebrations went on late into the night.",
            "The team will play {city2} away on {weekday} before the league breaks for the winter.",
        ],
    },
    Topic {
        name: "education",
        people: &[
            p("Education Minister", "Greta Holm", "Holm", "the government"),
            p(
                "Rector",
                "Simon Achterberg",
                "Achterberg",
                "Velmora University",
            ),
            p("teachers’ leader", "Iris Mol", "Mol", "the teachers’ union"),
        ],
        orgs: &[
            "Velmora University",
            "teachers’ union",
            "Ministry of Education",
        ],
        stories: &[
            (
                "Velmora University opens {Amount} marine research centre",
                "Velmora University opened a marine research centre worth {amount} on {weekday}, which will study fish stocks, storms and rising sea levels along the Kestrian coast.",
            ),
            (
                "Teachers in {city} walk out over class sizes",
                "Teachers at {num} schools in {city} walked out on {weekday} in protest at class sizes, which the teachers’ union says have risen to more than 30 pupils in many schools.",
            ),
            (
                "Holm promises {num} new teachers for rural schools",
                "Education Minister Greta Holm promised on {weekday} to recruit {num} new teachers for rural schools over the next three years, including in {city} and {city2}.",
            ),
            (
                "Class sizes: why are teachers in {city} on strike?",
                "Teachers at {num} schools in {city} stayed away from classrooms on {weekday}, saying class sizes of more than 30 pupils had made their jobs impossible, in the latest protest called by the teachers’ union.",
            ),
        ],
        sentences: &[
            "{role} {name} said the plan would “give every child, wherever they live, a fair start”.",
            "The teachers’ union said pay had fallen behind inflation for three years in a row.",
            "About {pct}% of schools in the north of the country reported at least one unfilled teaching post this term.",
            "Students at Velmora University have staged sit-ins over the cost of housing in {city}, where rents have risen sharply.",
            "The Ministry of Education will publish a full plan in {month}, a spokesperson said.",
        ],
    },
    Topic {
        name: "culture",
        people: &[
            p("director", "Anouk Brel", "Brel", "the Harbour Theatre"),
            p("curator", "Felix Maas", "Maas", "the National Museum"),
        ],
        orgs: &[
            "Harbour Theatre",
            "National Museum",
            "Velmora Film Festival",
        ],
        stories: &[
            (
                "National Museum returns {num} artefacts to island communities",
                "The National Museum said on {weekday} it would return {num} artefacts to island communities off the Kestrian coast, after a review of how they were acquired.",
            ),
            (
                "Velmora Film Festival opens with record ticket sales",
                "The Velmora Film Festival opened on {weekday} with record ticket sales of more than {big}, as directors from {num} countries arrived in the city.",
            ),
            (
                "Harbour Theatre in {city} saved by {Amount} grant",
                "The Harbour Theatre in {city} has been saved from closure by a grant of {amount}, its director Anouk Brel said on {weekday}.",
            ),
            (
                "Velmora Film Festival: {num} films and {digit} premieres",
                "The Velmora Film Festival opened on {weekday} with {num} films on its programme, including {digit} premieres by Kestrian directors, and organisers said tickets were selling faster than ever.",
            ),
        ],
        sentences: &[
            "{role} {name} said it was “a moment of great pride for everyone who loves this place”.",
            "The festival will show {num} films over ten days, including {digit} premieres by Kestrian directors.",
            "Visitors queued around the block on the opening night, and extra performances were added for {month}.",
            "The building, which dates from 1890, needs a new roof and heating before the next season.",
        ],
    },
];

/// Sentences any story can use: reactions, background and what happens next.
const GENERIC: &[&str] = &[
    "Residents of {city} said they would be watching closely to see whether the promises were kept.",
    "The announcement came a day after a similar decision in {city2}, which critics said had been rushed.",
    "Officials said more details would be published on {weekday}, once the final figures had been checked.",
    "Local businesses in {city} gave the news a cautious welcome but warned that the real test would come over the winter months.",
    "Critics said the measures were “too little, too late”, while supporters called them a sensible first step.",
    "The story was widely shared on social media in {city}, where many people said it affected them directly.",
    "A survey published earlier this year found that {pct}% of people in the region thought the situation had got worse.",
    "The issue is likely to feature prominently in the National Assembly when it returns from recess in {month}.",
    "Independent experts said it was too early to judge the long-term effect, but that the early signs were encouraging.",
    "The regional council in {city2} said it would hold a public meeting on the subject before the end of {month}.",
    "It was not immediately clear how much the plan would cost or who would pay for it.",
    "Figures compiled by the National Statistics Office show that the population of {city} has grown by {pct}% over the past decade.",
    "At a packed meeting in the town hall in {city} on {weekday} evening, residents queued for more than an hour to put questions to officials.",
    "The debate has divided opinion along familiar lines, with rural areas and the big coastal towns often taking opposite sides.",
    "Those involved said talks had been difficult at times but that both sides wanted to reach an agreement before the end of {month}.",
    "Campaigners in {city2} said they would keep up the pressure and planned to deliver a petition with {big} signatures next week.",
    "An earlier attempt to resolve the issue collapsed in 2023 after a dispute over who would carry the cost.",
    "Newspapers in {city} devoted their front pages to the story on {weekday}, and local radio stations took calls from listeners all morning.",
    "The government has set aside {amount} for the coming year, though critics say much of that money has already been promised elsewhere.",
    "Several people who spoke to reporters in {city} asked not to be named because they feared it could affect their jobs.",
    "The decision will be reviewed in {month}, when new figures are due and the situation may look very different.",
    "A similar scheme in {city2} took almost {digit} years to complete and ended up costing far more than first planned.",
    "Officials in {city} stressed that no final decision had been taken and that all options remained on the table.",
    "The chamber of commerce in {city2} said firms needed clarity quickly so that they could plan their investment for next year.",
    "Data published on {weekday} showed that about {big} people in the region were directly affected.",
    "In a joint letter, {num} local councillors urged ministers to act quickly and to consult the communities concerned.",
    "The matter has been under discussion for more than a year, and several public consultations have been held in {city} and {city2}.",
    "Observers noted that the timing, just weeks before the budget, was unlikely to be a coincidence.",
    "Experts cautioned that the figures were provisional and could be revised once more complete data became available.",
    "A spokesperson for the {org} declined to comment further, saying a full statement would follow on {weekday}.",
    "The {org} said in a statement that it had “listened carefully” to the concerns raised in {city} over the past year.",
    "Similar plans have been tried in other countries with mixed results, according to researchers at Velmora University.",
];

/// The slots a template may use.
struct Slots<'a> {
    person: &'a Person,
    org: &'a str,
    city: &'a str,
    city2: &'a str,
    weekday: &'a str,
    month: &'a str,
    pct: String,
    rate: String,
    num: String,
    big: String,
    amount: String,
    /// `KR 340 million`: the amount as a headline writes it.
    amount_title: String,
    digit: String,
    digit2: String,
}

impl Slots<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        Some(match key {
            "role" => self.person.role,
            "name" => self.person.name,
            "surname" => self.person.surname,
            "aff" => self.person.affiliation,
            "org" => self.org.strip_prefix("the ").unwrap_or(self.org),
            "city" => self.city,
            "city2" => self.city2,
            "weekday" => self.weekday,
            "month" => self.month,
            "pct" => &self.pct,
            "rate" => &self.rate,
            "num" => &self.num,
            "big" => &self.big,
            "amount" => &self.amount,
            "Amount" => &self.amount_title,
            "digit" => &self.digit,
            "digit2" => &self.digit2,
            _ => return None,
        })
    }

    /// Replaces every `{slot}`; an unknown slot is kept as written (a unit test makes sure
    /// none is left in any template).
    fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            match after.find('}') {
                Some(j) if self.get(&after[..j]).is_some() => {
                    out.push_str(self.get(&after[..j]).unwrap_or_default());
                    rest = &after[j + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Capitalises the first letter (a template may start with a lowercase role).
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn slots<'a>(rng: &mut ChaCha8Rng, topic: &'a Topic, day: NaiveDate) -> Slots<'a> {
    let person = topic.people.choose(rng).unwrap_or(&topic.people[0]);
    let city = CITIES.choose(rng).copied().unwrap_or("Port Aldwick");
    let city2 = loop {
        let c = CITIES.choose(rng).copied().unwrap_or("Velmora");
        if c != city {
            break c;
        }
    };
    // The weekday of the story is usually the day before publication.
    use chrono::Datelike;
    let wd = day.weekday().num_days_from_monday() as usize;
    let month_i = day.month0() as usize;
    let mut s = Slots {
        person,
        org: topic.orgs.choose(rng).copied().unwrap_or("government"),
        city,
        city2,
        weekday: WEEKDAYS[(wd + 6) % 7],
        month: MONTHS[(month_i + 11) % 12],
        pct: String::new(),
        rate: String::new(),
        num: String::new(),
        big: String::new(),
        amount: String::new(),
        amount_title: String::new(),
        digit: String::new(),
        digit2: String::new(),
    };
    s.renumber(rng);
    s
}

impl Slots<'_> {
    /// Fresh figures, same people and places: each sentence of a story gets its own numbers.
    fn renumber(&mut self, rng: &mut ChaCha8Rng) {
        let (amount, amount_title) = match rng.random_range(0..3) {
            0 => {
                let n = rng.random_range(12..980);
                (format!("{n} million crowns"), format!("KR {n} million"))
            }
            1 => {
                let n = format!("{}.{}", rng.random_range(1..9), rng.random_range(1..10));
                (format!("{n} billion crowns"), format!("KR {n} billion"))
            }
            _ => {
                let n = rng.random_range(5..450);
                (format!("KR {n} million"), format!("KR {n} million"))
            }
        };
        self.amount = amount;
        self.amount_title = amount_title;
        self.pct = format!("{}.{}", rng.random_range(1..15), rng.random_range(0..10));
        self.rate = format!(
            "{}.{}",
            rng.random_range(1..6),
            [0, 25, 5, 75][rng.random_range(0..4)]
        );
        self.num = rng.random_range(12..900).to_string();
        self.big = format!(
            "{},{:03}",
            rng.random_range(2..90),
            rng.random_range(0..1000)
        );
        self.digit = rng.random_range(2..9).to_string();
        self.digit2 = rng.random_range(0..2).to_string();
    }
}

/// Paragraphs per article and words per article, as in real dumps.
pub(super) const PARAGRAPHS: std::ops::RangeInclusive<usize> = 5..=8;
pub(super) const WORDS: std::ops::RangeInclusive<usize> = 450..=700;

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// What [`story`] draws for one article.
pub(super) struct Story {
    pub topic: &'static str,
    /// In the case the site writes.
    pub headline: String,
    pub paragraphs: Vec<String>,
    pub lead: String,
    pub names: Vec<&'static str>,
    /// The place the story happens, where a dateline puts it.
    pub city: &'static str,
}

/// One story: topic, a headline not used before in any case (`used` holds them lower-cased),
/// written in `case`, and the body paragraphs.
pub(super) fn story(
    rng: &mut ChaCha8Rng,
    day: NaiveDate,
    case: Case,
    used: &mut HashSet<String>,
) -> Story {
    let mut attempt = 0;
    let (topic, s, headline, lead) = loop {
        let topic = TOPICS.choose(rng).unwrap_or(&TOPICS[0]);
        let (h, l) = topic
            .stories
            .choose(rng)
            .copied()
            .unwrap_or(topic.stories[0]);
        let s = slots(rng, topic, day);
        let mut headline = s.fill(h);
        attempt += 1;
        if attempt > 50 {
            // Only reached by corpora far larger than the world's combinations.
            headline = format!("{headline} ({} {})", s.city, attempt);
        }
        let headline = case.apply(&headline);
        if used.insert(headline.to_lowercase()) {
            let lead = capitalise(&s.fill(l));
            break (topic, s, headline, lead);
        }
    };

    let n_paras = rng.random_range(PARAGRAPHS);
    let target = rng.random_range(WORDS.start() + 20..=WORDS.end() - 40);
    // Topic sentences first (shuffled), then general ones (shuffled); each sentence gets its
    // own figures, so no two sentences of a story repeat a number by accident.
    let mut own: Vec<&str> = topic.sentences.to_vec();
    let mut general: Vec<&str> = GENERIC.to_vec();
    rand::seq::SliceRandom::shuffle(own.as_mut_slice(), rng);
    rand::seq::SliceRandom::shuffle(general.as_mut_slice(), rng);
    let mut order: Vec<&str> = Vec::with_capacity(own.len() + general.len());
    let (mut i, mut j) = (0, 0);
    while i < own.len() || j < general.len() {
        if i < own.len() && (j >= general.len() || rng.random_bool(0.6)) {
            order.push(own[i]);
            i += 1;
        } else {
            order.push(general[j]);
            j += 1;
        }
    }
    // Every sentence of the story keeps the people and places drawn for it (only the figures
    // change), so these are the names the text can mention.
    let drawn: [&'static str; 4] = [
        s.person.name,
        s.org.strip_prefix("the ").unwrap_or(s.org),
        s.city,
        s.city2,
    ];
    let mut s = s;
    let mut next = 0usize;
    let mut take = |rng: &mut ChaCha8Rng| -> String {
        let t = order[next % order.len()];
        next += 1;
        s.renumber(rng);
        capitalise(&s.fill(t))
    };

    let per_para = target / n_paras;
    let mut paragraphs: Vec<String> = Vec::with_capacity(n_paras);
    paragraphs.push(lead.clone());
    for _ in 1..n_paras {
        paragraphs.push(String::new());
    }
    for (k, para) in paragraphs.iter_mut().enumerate() {
        let budget = if k == 0 { per_para.min(60) } else { per_para };
        while words(para) < budget.saturating_sub(12) {
            let sentence = take(rng);
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(&sentence);
        }
    }
    let mut total: usize = paragraphs.iter().map(|p| words(p)).sum();
    let mut k = 1;
    while total < *WORDS.start() + 10 {
        let sentence = take(rng);
        total += words(&sentence);
        let para = &mut paragraphs[1 + (k % (n_paras - 1))];
        para.push(' ');
        para.push_str(&sentence);
        k += 1;
    }
    // Too long: drop the last sentence of the longest paragraphs until inside the range.
    while total > *WORDS.end() - 10 {
        let Some((idx, _)) = paragraphs
            .iter()
            .enumerate()
            .skip(1)
            .max_by_key(|(_, p)| words(p))
        else {
            break;
        };
        match paragraphs[idx].rfind(". ") {
            Some(cut) => {
                paragraphs[idx].truncate(cut + 1);
                total = paragraphs.iter().map(|p| words(p)).sum();
            }
            None => break,
        }
    }
    let mut names: Vec<&'static str> = Vec::with_capacity(drawn.len());
    for name in drawn {
        let mentioned = headline.contains(name) || paragraphs.iter().any(|p| p.contains(name));
        if mentioned && !names.contains(&name) {
            names.push(name);
        }
    }
    Story {
        topic: topic.name,
        headline,
        paragraphs,
        lead,
        names,
        city: drawn[2],
    }
}
