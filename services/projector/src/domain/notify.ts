/** The NOTIFY channel on which the projector announces changed read models (live views listen). */
export const CHANGES_CHANNEL = 'tributary_changes';

export interface ChangeNotice {
  table: string;
  inserted: number;
  updated: number;
  syncIds: string[];
}
