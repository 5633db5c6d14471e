import { findOrCreateCouncil } from "../../../src/services/councils/index.js";
import { createStrategy, importKpiValues, setKpiValue } from "../../../src/services/strategies/index.js";
import type { Database } from "../../../src/storage/database.js";

/**
 * A housing strategy over three financial years with two priorities and four KPIs, and figures for its first
 * six quarters (plus a baseline quarter before it starts), for the quarterly report's tests.
 */

export const HOUSING_SLUG = "housing-strategy-2018-2021";
const ACTOR = "account:7 housing.performance@hartlepool.example";

export const HOUSING_STRATEGY = {
  title: "Housing & Homelessness Strategy 2018-2021",
  slug: HOUSING_SLUG,
  owner: "Director of Regeneration and Neighbourhoods",
  period: { from: "2018-19", to: "2020-21" },
  priorities: [
    {
      title: "More homes that people can afford",
      kpis: [
        { code: "HS01", name: "Affordable homes completed", unit: "number", polarity: "higher-is-better" },
        {
          code: "HS02",
          name: "Average days to re-let a council home",
          unit: "days",
          polarity: "lower-is-better",
        },
      ],
    },
    {
      title: "Preventing homelessness",
      kpis: [
        {
          code: "HS03",
          name: "Households whose homelessness was prevented",
          unit: "%",
          polarity: "higher-is-better",
        },
        {
          code: "HS04",
          name: "Spend on bed and breakfast accommodation",
          unit: "money",
          polarity: "lower-is-better",
        },
      ],
    },
  ],
};

export const HOUSING_VALUES = `kpi,period,actual,target,commentary
HS01,2017-18 Q2,31,40,
HS01,2018-19 Q1,22,40,Two schemes delayed by the contractor going into administration.
HS01,2018-19 Q2,38,40,Hartfields phase 3 handed over in August.
HS01,2018-19 Q3,41,40,
HS01,2018-19 Q4,55,40,Year-end completions at Seaton Lane.
HS01,2019-20 Q1,36,45,
HS02,2018-19 Q1,34,28,
HS02,2018-19 Q2,29,28,Voids team back to full strength.
HS02,2018-19 Q3,27,28,
HS02,2018-19 Q4,31,28,
HS02,2019-20 Q1,26,28,
HS03,2018-19 Q1,61.5,65,
HS03,2018-19 Q2,67.2,65,New prevention officers started in July.
HS03,2018-19 Q3,58,65,"Winter pressures; three hostels full from November."
HS04,2018-19 Q2,84300,60000,Placements rose after the closure of the Whitby Street hostel.
HS04,2018-19 Q3,71250,60000,
`;

/** The council, the strategy and its figures; HS04's 2019-20 Q1 figure typed by an officer. */
export async function seedHousingStrategy(
  database: Database,
): Promise<{ councilId: number; strategyId: number }> {
  const { council } = await findOrCreateCouncil(database.db, { name: "Hartlepool Borough Council" }, ACTOR);
  const { id } = await createStrategy(database, council.id, HOUSING_STRATEGY, ACTOR);
  await importKpiValues(database, council.id, HOUSING_VALUES, ACTOR);
  await setKpiValue(
    database,
    council.id,
    "HS04",
    "2019-20 Q1",
    { actual: 52900, target: 60000, commentary: "Two families moved on to council homes in May." },
    ACTOR,
  );
  return { councilId: council.id, strategyId: id };
}
