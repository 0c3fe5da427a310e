/** Who did something: a person acting in a role for a unit, or the system clock. */
export interface ActorRef {
  id: string;
  role: string;
  /** The unit the actor acts for; absent for the petitioner and the system. */
  unit?: string;
  name?: string;
}
