/** Who did something: a person acting in a role for a unit, or the system clock. */
export interface ActorRef {
  id: string;
  role: string;
  /**
   * A query code presented by a petitioner without an account (Reg. 21): it opens the one case it
   * was given for. The engine never records or echoes it.
   */
  queryCode?: string;
  /** The unit the actor acts for; absent for the petitioner and the system. */
  unit?: string;
  name?: string;
}
