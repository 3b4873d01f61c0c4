/*
** dates.h: calendar dates of the scenario format (ISO YYYY-MM-DD, proleptic Gregorian), private
** to the scenario reader. Day numbers come from nsm_days_from_civil() in model.h.
*/
#ifndef NEASIM_DATES_H
#define NEASIM_DATES_H

typedef struct {
    int year, month, day;
} nsm_date;

typedef enum {
    NSM_DATE_OK,
    NSM_DATE_FORMAT,  /* not YYYY-MM-DD */
    NSM_DATE_MONTH,   /* month not 1..12 */
    NSM_DATE_DAY      /* day not within the month */
} nsm_date_check;

/* Parse exactly "YYYY-MM-DD" (year 0001..9999). *out is set even when the day or month is out
** of range, so that messages can name them. */
nsm_date_check nsmi_date_parse(const char *s, nsm_date *out);

int nsmi_date_days_in_month(int year, int month);

/* Days since 1970-01-01. */
long nsmi_date_days(nsm_date d);

/* d plus `months` calendar months, the day clamped to the length of the month it lands in
** (2025-01-31 plus one month is 2025-02-28). */
nsm_date nsmi_date_add_months(nsm_date d, int months);

/* d's year changed to `year`, 29 February falling on 28 February in common years. */
nsm_date nsmi_date_in_year(nsm_date d, int year);

/* <0, 0, >0 as a is before, on, after b. */
int nsmi_date_cmp(nsm_date a, nsm_date b);

/* "YYYY-MM-DD" into out (11 bytes). */
void nsmi_date_format(nsm_date d, char out[11]);

#endif
