/*
** grid.c: calendar arithmetic shared by the reader and the engine: day numbers of dates and the
** grid of whole months from the start date on which gamma multipliers are redrawn.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/model.h"

/* Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms": exact for the proleptic
** Gregorian calendar, no tables. */
long nsm_days_from_civil(int year, int month, int day)
{
    long y = (long)year - (month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Hinnant's civil_from_days, the inverse of nsm_days_from_civil. */
static void civil_from_days(long z, int *year, int *month, int *day)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

void nsm_model_date(const nsm_model *m, double t, char out[11])
{
    long d0 = nsm_days_from_civil(m->start_year, m->start_month, m->start_day);
    int y, mo, d;
    civil_from_days(d0 + (long)t, &y, &mo, &d);
    char text[48]; /* room for any int, to keep -Wformat-truncation quiet */
    snprintf(text, sizeof text, "%04d-%02d-%02d", y % 10000, mo, d);
    memcpy(out, text, 10);
    out[10] = '\0';
}

static int days_in_month(int year, int month)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : dim[month - 1];
}

int nsm_model_finish_grid(nsm_model *m)
{
    free(m->month_t);
    m->month_t = malloc(((size_t)m->horizon_months + 1) * sizeof *m->month_t);
    if (!m->month_t)
        return -1;
    long d0 = nsm_days_from_civil(m->start_year, m->start_month, m->start_day);
    for (int k = 0; k <= m->horizon_months; k++) {
        int months = m->start_month - 1 + k;
        int y = m->start_year + months / 12, mo = months % 12 + 1;
        int d = m->start_day <= days_in_month(y, mo) ? m->start_day : days_in_month(y, mo);
        m->month_t[k] = (double)(nsm_days_from_civil(y, mo, d) - d0);
    }
    return 0;
}
