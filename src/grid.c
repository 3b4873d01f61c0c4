/*
** grid.c: calendar arithmetic shared by the reader and the engine: day numbers of dates and the
** grid of whole months from the start date on which gamma multipliers are redrawn.
*/
#include <stdlib.h>

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
        m->month_t[k] = (double)(nsm_days_from_civil(y, mo, d) - d0) / 365.25;
    }
    return 0;
}
