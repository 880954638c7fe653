/**
 * A question and 20 candidate passages, of which exactly five answer it. The distractors share a
 * word or two with the question (honey recipes, bee stings, nectar-feeding birds), so ranking has
 * to weigh how much of the question a passage covers.
 */
export const RANKING_QUERY = 'how do honeybees make honey from flower nectar in the hive';

export const RELEVANT = [
  'Honeybees make honey by collecting flower nectar and carrying it back to the hive in their honey stomach.',
  'In the hive, worker honeybees pass the nectar mouth to mouth, adding enzymes that turn nectar sugars into honey.',
  'Honeybees fan their wings over the comb so water evaporates from the nectar until it thickens into honey in the hive.',
  'To make one jar of honey, honeybees visit about two million flowers to gather enough nectar for the hive.',
  'Once the nectar has become ripe honey, honeybees seal each cell of the hive comb with a cap of beeswax.',
];

export const DISTRACTORS = [
  'A honey mustard dressing needs mustard, vinegar, olive oil and a spoon of honey whisked together.',
  'Hummingbirds drink flower nectar while hovering, beating their wings up to eighty times per second.',
  'Bee stings hurt because of venom; remove the stinger quickly and cool the skin with ice.',
  'Bumblebees nest in the ground and live in colonies of only a few hundred workers.',
  'The stock market fell sharply today as investors worried about rising interest rates.',
  'Butterflies taste with their feet and also feed on nectar from garden plants.',
  'A beehive-shaped hairstyle was popular in the nineteen sixties.',
  'Maple syrup is made by boiling the sap of sugar maple trees until it thickens.',
  'Wasps build paper nests from chewed wood fibres mixed with saliva.',
  'Honey badgers are fearless mammals known to raid bee nests for larvae.',
  'Train timetables change in December when the winter schedule starts.',
  'Sunflowers turn to face the sun while they are young and still growing.',
  'Apple trees need cross pollination from a second variety to produce fruit.',
  'Ants farm aphids for their sweet honeydew and protect them from predators.',
  'The recipe calls for flour, butter, sugar and a pinch of salt for the pastry.',
];

/** The 20 candidates, relevant ones spread among the distractors; returns their indices too. */
export function rankingCandidates(): { texts: string[]; relevant: number[] } {
  const texts = [...DISTRACTORS];
  const relevant: number[] = [];
  [2, 6, 9, 13, 17].forEach((at, i) => {
    texts.splice(at, 0, RELEVANT[i] ?? '');
    relevant.push(at);
  });
  return { texts, relevant };
}
