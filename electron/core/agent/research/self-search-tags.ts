/** The tags a model trained to search writes and reads (Search-R1's by default). */
export interface SelfSearchTags {
  open: string;
  close: string;
  informationOpen: string;
  informationClose: string;
}

export const SEARCH_R1_TAGS: Readonly<SelfSearchTags> = {
  open: '<search>',
  close: '</search>',
  informationOpen: '<information>',
  informationClose: '</information>',
};
