/** How a period counts its days: every calendar day, or working days only (the calendar says which). */
export type DayUnit = 'calendar' | 'working';
