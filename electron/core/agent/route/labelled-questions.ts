import type { RouteChoice } from './route-types';

export interface LabelledQuestion {
  question: string;
  expected: RouteChoice;
  /** The previous answer's choice, for follow-ups. */
  previous?: RouteChoice;
}

/**
 * Questions as people type them, each with the way it should be answered. Used by
 * bench/route-accuracy.ts and the routing test. `chat`: the model answers from what it knows;
 * `reasoning`: something to work out; `quick-search`: one fact from the web; `deep-search`: facts
 * from several places put together.
 */
export const LABELLED_QUESTIONS: LabelledQuestion[] = [
  // Small talk and greetings.
  { question: 'hi', expected: 'chat' },
  { question: 'Hello there!', expected: 'chat' },
  { question: 'hey, how are you?', expected: 'chat' },
  { question: 'Good morning', expected: 'chat' },
  { question: 'thanks, that helped a lot', expected: 'chat' },
  { question: 'Thank you!', expected: 'chat' },
  { question: 'who are you?', expected: 'chat' },
  { question: 'what can you do', expected: 'chat' },
  { question: 'bye for now', expected: 'chat' },
  { question: 'ok cool', expected: 'chat' },
  // Writing and rewording.
  { question: 'Write a short poem about autumn leaves', expected: 'chat' },
  {
    question: 'Rewrite this sentence to sound more formal: we gotta ship it tmrw',
    expected: 'chat',
  },
  { question: 'translate "good night" into French', expected: 'chat' },
  { question: 'Summarize the plot of a heist movie in three sentences', expected: 'chat' },
  { question: 'draft a polite email declining a meeting invitation', expected: 'chat' },
  { question: 'give me some name ideas for a coffee shop', expected: 'chat' },
  { question: 'tell me a joke about cats', expected: 'chat' },
  { question: 'suggest a title for my blog post about gardening', expected: 'chat' },
  { question: 'Compose a haiku about the sea', expected: 'chat' },
  { question: 'proofread: their going to the park tomorow', expected: 'chat' },
  { question: 'paraphrase "the early bird catches the worm"', expected: 'chat' },
  { question: 'brainstorm birthday party themes for a 7 year old', expected: 'chat' },
  // General knowledge the model can answer without the web.
  { question: 'what is a noun?', expected: 'chat' },
  { question: 'explain what photosynthesis is in simple words', expected: 'chat' },
  { question: 'why is the sky blue', expected: 'chat' },
  { question: 'how do I boil an egg', expected: 'chat' },
  { question: 'what does "ephemeral" mean', expected: 'chat' },
  { question: 'give me tips for falling asleep faster', expected: 'chat' },
  { question: 'what are some good habits for studying', expected: 'chat' },
  { question: 'how does a refrigerator keep food cold', expected: 'chat' },
  // Arithmetic and problems to work out.
  { question: 'what is 17 * 23?', expected: 'reasoning' },
  { question: '12+7*3', expected: 'reasoning' },
  { question: 'calculate 15% of 240', expected: 'reasoning' },
  { question: 'solve 2x + 5 = 17', expected: 'reasoning' },
  { question: 'what is the derivative of x^3 sin x', expected: 'reasoning' },
  {
    question:
      'If a train leaves at 3pm going 60 mph, how many miles has it gone when it is 5:30pm?',
    expected: 'reasoning',
  },
  { question: 'prove that the square root of 2 is irrational', expected: 'reasoning' },
  { question: 'what is the probability of rolling two sixes with two dice', expected: 'reasoning' },
  { question: 'Is 221 a prime number?', expected: 'reasoning' },
  { question: 'simplify (x^2 - 1)/(x - 1)', expected: 'reasoning' },
  {
    question:
      'a bat and a ball cost 1.10 in total and the bat costs 1.00 more than the ball, how much is the ball?',
    expected: 'reasoning',
  },
  { question: 'what is the sum of the first 100 odd numbers', expected: 'reasoning' },
  { question: 'riddle: what has keys but cannot open locks?', expected: 'reasoning' },
  {
    question: 'three friends split a bill of 96 dollars with a 15% tip, how much does each pay',
    expected: 'reasoning',
  },
  { question: 'convert 72 fahrenheit to celsius', expected: 'reasoning' },
  { question: 'what is 2^10', expected: 'reasoning' },
  // Programming problems.
  { question: 'write a function that reverses a linked list in Python', expected: 'reasoning' },
  { question: 'what is the time complexity of quicksort in the worst case', expected: 'reasoning' },
  { question: 'regex to match an email address', expected: 'reasoning' },
  { question: 'why does my recursion overflow the stack', expected: 'reasoning' },
  { question: 'implement binary search in TypeScript', expected: 'reasoning' },
  {
    question: 'find the bug: for (i = 0; i <= arr.length; i++) sum += arr[i]',
    expected: 'reasoning',
  },
  { question: 'write a SQL query that counts orders per customer', expected: 'reasoning' },
  // One fact from the web: recent things.
  { question: 'what is the latest version of Node.js', expected: 'quick-search' },
  { question: "what's the weather in Lisbon today", expected: 'quick-search' },
  { question: 'latest news about the Mars sample return mission', expected: 'quick-search' },
  { question: 'current price of bitcoin', expected: 'quick-search' },
  { question: 'who won the Champions League final this year', expected: 'quick-search' },
  { question: 'when is the next SpaceX launch', expected: 'quick-search' },
  { question: 'what happened in the stock market yesterday', expected: 'quick-search' },
  { question: 'Python 3.14 release date', expected: 'quick-search' },
  { question: 'what are the new features in Svelte 5', expected: 'quick-search' },
  { question: 'euro to dollar exchange rate', expected: 'quick-search' },
  { question: 'trending open source projects this week', expected: 'quick-search' },
  { question: 'is the Louvre open tomorrow', expected: 'quick-search' },
  { question: 'what did Apple announce in September 2026', expected: 'quick-search' },
  { question: 'upcoming elections in Germany', expected: 'quick-search' },
  // One fact from the web: named things.
  { question: 'who is the CEO of Mozilla', expected: 'quick-search' },
  { question: 'when was the Eiffel Tower built', expected: 'quick-search' },
  { question: 'where is the headquarters of Spotify', expected: 'quick-search' },
  { question: 'what is the population of Reykjavik', expected: 'quick-search' },
  { question: 'how tall is Mount Kilimanjaro', expected: 'quick-search' },
  { question: 'who wrote the novel Middlemarch', expected: 'quick-search' },
  { question: 'what year did the Berlin Wall fall', expected: 'quick-search' },
  { question: 'which company makes the Pixel phones', expected: 'quick-search' },
  { question: 'does SQLite support window functions', expected: 'quick-search' },
  { question: 'what is the capital of Mongolia', expected: 'quick-search' },
  { question: 'how old is Margaret Atwood', expected: 'quick-search' },
  { question: 'who founded Wikipedia', expected: 'quick-search' },
  { question: 'what license does PostgreSQL use', expected: 'quick-search' },
  { question: 'what port does Redis listen on by default', expected: 'quick-search' },
  { question: 'who directed the film Spirited Away', expected: 'quick-search' },
  { question: 'where was Marie Curie born', expected: 'quick-search' },
  // Facts from several places put together.
  {
    question:
      'Which of the two libraries that Express depends on was released first, body-parser or cookie?',
    expected: 'deep-search',
  },
  { question: 'compare Rust and Go for writing command line tools', expected: 'deep-search' },
  { question: 'PostgreSQL vs MySQL for a small web app', expected: 'deep-search' },
  { question: 'what is the difference between Docker and Podman', expected: 'deep-search' },
  { question: 'who was born first, Ada Lovelace or Charles Darwin?', expected: 'deep-search' },
  { question: 'Is the Danube longer than the Rhine?', expected: 'deep-search' },
  { question: 'which came first, the Walkman or the Game Boy', expected: 'deep-search' },
  {
    question: 'who founded the company that makes the Kindle and when was it founded',
    expected: 'deep-search',
  },
  {
    question: 'what language is the database that Firefox uses for bookmarks written in',
    expected: 'deep-search',
  },
  {
    question: 'Compare the battery life of the iPhone 16 and the Pixel 9',
    expected: 'deep-search',
  },
  { question: 'are both Vue and Svelte maintained by companies?', expected: 'deep-search' },
  { question: 'which is older, Harvard or the University of Oxford?', expected: 'deep-search' },
  {
    question: 'who directed Alien and what other films did he make in the 1980s',
    expected: 'deep-search',
  },
  { question: 'how do the licenses of SQLite and PostgreSQL differ', expected: 'deep-search' },
  {
    question: 'Was Linux released before or after the first version of Python?',
    expected: 'deep-search',
  },
  { question: 'what do the authors of the Raft paper work on now', expected: 'deep-search' },
  // Follow-ups keep the previous way of answering.
  { question: 'and the second one?', expected: 'quick-search', previous: 'quick-search' },
  { question: 'why?', expected: 'reasoning', previous: 'reasoning' },
  { question: 'tell me more', expected: 'chat', previous: 'chat' },
  { question: 'what about Go?', expected: 'deep-search', previous: 'deep-search' },
  { question: 'and in 1990?', expected: 'quick-search', previous: 'quick-search' },
  { question: 'it still fails', expected: 'reasoning', previous: 'reasoning' },
  { question: 'make it shorter', expected: 'chat', previous: 'chat' },
  { question: 'are you sure?', expected: 'reasoning', previous: 'reasoning' },
  { question: 'how about Berlin', expected: 'quick-search', previous: 'quick-search' },
  { question: 'that one is too long', expected: 'chat', previous: 'chat' },
];
