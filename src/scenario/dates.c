/*
** dates.c: ISO dates of the scenario format and calendar arithmetic on them.
*/
#include <stdio.h>

#include "scenario/dates.h"
#include "neasim/model.h"

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = 10 * v + (s[i] - '0');
    }
    *out = v;
    return 1;
}

nsm_date_check nsmi_date_parse(const char *s, nsm_date *out)
{
    nsm_date d = {0, 0, 0};
    if (!digits(s, 4, &d.year) || s[4] != '-' || !digits(s + 5, 2, &d.month) || s[7] != '-' ||
        !digits(s + 8, 2, &d.day) || s[10] != '\0' || d.year < 1)
        return NSM_DATE_FORMAT;
    *out = d;
    if (d.month < 1 || d.month > 12)
        return NSM_DATE_MONTH;
    if (d.day < 1 || d.day > nsmi_date_days_in_month(d.year, d.month))
        return NSM_DATE_DAY;
    return NSM_DATE_OK;
}

int nsmi_date_days_in_month(int year, int month)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : n[month - 1];
}

long nsmi_date_days(nsm_date d)
{
    return nsm_days_from_civil(d.year, d.month, d.day);
}

nsm_date nsmi_date_add_months(nsm_date d, int months)
{
    int total = d.year * 12 + (d.month - 1) + months;
    nsm_date r = {total / 12, total % 12 + 1, d.day};
    int last = nsmi_date_days_in_month(r.year, r.month);
    r.day = r.day < last ? r.day : last;
    return r;
}

nsm_date nsmi_date_in_year(nsm_date d, int year)
{
    nsm_date r = {year, d.month, d.day};
    int last = nsmi_date_days_in_month(year, d.month);
    r.day = r.day < last ? r.day : last;
    return r;
}

int nsmi_date_cmp(nsm_date a, nsm_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    return (a.day > b.day) - (a.day < b.day);
}

void nsmi_date_format(nsm_date d, char out[11])
{
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d.year % 10000u, (unsigned)d.month % 100u,
             (unsigned)d.day % 100u);
}
