/*
** check.c: `neasim check SCENARIO`: validate a scenario and describe the model it compiles to,
** in the terms an analyst wrote it in.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "cli/cli.h"
#include "neasim/dist.h"
#include "neasim/outdir.h"
#include "neasim/params.h"
#include "neasim/results.h"
#include "neasim/scenario.h"
#include "neasim/text.h"

static const char CHECK_HELP[] =
    "Usage: neasim check SCENARIO [--resolved DIR]\n"
    "\n"
    "Validate the scenario in folder SCENARIO and describe its model: factors, hazards (as rates\n"
    "per year, and as written), counted events, modifiers, the calendar, effects, outcomes,\n"
    "conditioned draws, the uncertain numbers (the paths sweep --params takes) and the levers.\n"
    "Exits with 0 when the scenario is valid and 65 (with file:line:column messages) when it is\n"
    "not.\n"
    "\n"
    "  --resolved DIR   also write the scenario's tables with every base it extends merged in\n"
    "                   (one flat scenario folder, tidy CSV, for spreadsheets) into DIR,\n"
    "                   atomically, with a manifest.csv naming the bases and the checksum\n"
    "  -h, --help       this help\n"
    "  -V, --version    the version\n";

/* The plural ending of a count or an amount: "1 day", "2 days", "0.5 days". */
static const char *plural(double n)
{
    return n == 1 ? "" : "s";
}

/* A row of modifiers.csv or effects.csv as an analyst names it: "row 4", or by its id when it
** has one, "escalation_when_transactional (row 4)" (id may be NULL or ""). */
static int row_name(const char *id, int row, char *buf, size_t n)
{
    if (id && id[0])
        return snprintf(buf, n, "%s (row %d)", id, row);
    return snprintf(buf, n, "row %d", row);
}

/* The id of the row of modifier j, or NULL. */
static const char *modifier_id(const nsm_model *m, int j)
{
    int row = m->modifiers[j].row;
    return m->modifier_ids && row <= m->n_modifier_rows ? m->modifier_ids[row - 1] : NULL;
}

static const char *effect_id(const nsm_model *m, int x)
{
    return m->effect_ids ? m->effect_ids[x] : NULL;
}

/* The width of the column of row names: that of "row 123" at least, so that a scenario without
** ids is laid out as before ids were shown. */
static int row_width(const nsm_model *m, int effects)
{
    char buf[NSM_NAME_MAX + 24];
    int w = 7;
    for (int j = 0; j < (effects ? m->n_effects : m->n_modifiers); j++) {
        int n = effects ? row_name(effect_id(m, j), m->effects[j].row, buf, sizeof buf)
                        : row_name(modifier_id(m, j), m->modifiers[j].row, buf, sizeof buf);
        w = n > w ? n : w;
    }
    return w;
}

static void print_condition(const nsm_model *m, const nsm_condition *c)
{
    char buf[1024];
    nsm_condition_format(m, c, buf, sizeof buf);
    fputs(buf, stdout);
}

static void print_action(const nsm_model *m, const nsm_action *a)
{
    char buf[2 * NSM_NAME_MAX + 8];
    nsm_action_format(m, a, buf, sizeof buf);
    fputs(buf, stdout);
}

/* The starting levels a factor was in before the start (factors.csv, `entered`): "   (in a
** since 2024-11-02, 60 days before the start)". */
static void print_entered(const nsm_model *m, const nsm_factor *fa)
{
    int n = 0;
    for (int l = 0; fa->entered && l < fa->n_levels; l++) {
        if (fa->entered[l] <= 0)
            continue;
        char since[11];
        nsm_model_date(m, -fa->entered[l], since);
        printf("%s%s since %s, %g day%s before the start", n++ ? "; in " : "   (in ",
               fa->levels[l], since, fa->entered[l], plural(fa->entered[l]));
    }
    if (n)
        printf(")");
}

/* Whether an uncertain number sets one of factor f's initial shares: then the shares shown are
** their means, and each replication draws its own (the others' rescaled to sum to 1). */
static int initial_drawn(const nsm_model *m, int f)
{
    for (int k = 0; k < m->n_uncertain; k++)
        for (int p = 0; p < m->uncertain[k].n_params; p++)
            if (m->uncertain[k].params[p].kind == NSM_P_INITIAL && m->uncertain[k].params[p].a == f)
                return 1;
    return 0;
}

static void describe_factors(const nsm_model *m)
{
    int drawn = 0;
    for (int f = 0; f < m->n_factors; f++)
        drawn += initial_drawn(m, f);
    printf("\nFactors (%d%s):\n", m->n_factors,
           drawn ? "; initial shares 'drawn': each replication draws its own, and the shares shown "
                   "are their means (Uncertain numbers, below)" : "");
    for (int f = 0; f < m->n_factors; f++) {
        const nsm_factor *fa = &m->factors[f];
        printf("  %s", fa->name);
        if (fa->label)
            printf(" (\u201c%s\u201d)", fa->label);
        printf(":");
        for (int l = 0; l < fa->n_levels; l++)
            printf(" %s", fa->levels[l]);
        printf(initial_drawn(m, f) ? "   (initial, drawn; means:" : "   (initial:");
        for (int l = 0; l < fa->n_levels; l++)
            if (fa->initial[l] > 0)
                printf(" %s %.3g", fa->levels[l], fa->initial[l]);
        printf(")");
        print_entered(m, fa);
        printf("\n");
    }
}

/* When the factor may start in tr's `from` with a stay that began before the start (factors.csv,
** `entered`), what is left of that first stay: a deadline's day; a law's chance of lasting that
** long, which the remaining time is drawn given. */
static void print_first_stay(const nsm_model *m, const nsm_transition *tr)
{
    const nsm_factor *fa = &m->factors[tr->factor];
    const nsm_duration *du = &tr->duration;
    double e = fa->entered ? fa->entered[tr->from] : 0.0;
    if (e <= 0)
        return;
    char since[11], end[11];
    nsm_model_date(m, -e, since);
    if (du->kind == NSM_DIST_FIXED) {
        double left = du->p[0] * du->unit_days - e;
        nsm_model_date(m, floor(left), end);
        printf("; in %s since %s: ends %s, %g day%s after the start", fa->levels[tr->from], since,
               end, left, plural(left));
        return;
    }
    nsm_dist d = {(nsm_dist_kind)du->kind, {du->p[0], du->p[1], du->p[2]}};
    printf("; in %s since %s: the rest drawn given %g day%s already (P %.3g of lasting them)",
           fa->levels[tr->from], since, e, plural(e), nsm_dist_survival(&d, e / du->unit_days));
}

/* A transition's duration as its cell says it, with its mean ("duration weibull(2,180) days,
** mean 159.5 days"): a sojourn that competes with the hazard, not part of it. */
static void print_duration(const nsm_duration *du)
{
    if (!du->on)
        return;
    nsm_dist d = {(nsm_dist_kind)du->kind, {du->p[0], du->p[1], du->p[2]}};
    char text[128];
    nsm_dist_format(&d, text, sizeof text);
    const char *unit = du->unit_days == 1.0 ? "day" : "year";
    char mean[32]; /* as shown, so that "mean 1 day" is said of what reads as 1 */
    snprintf(mean, sizeof mean, "%.4g", nsm_dist_mean(&d));
    if (du->kind == NSM_DIST_FIXED)
        printf("   duration %g %s%s (a deadline)", du->p[0], unit, plural(du->p[0]));
    else
        printf("   duration %s %ss, mean %s %s%s", text, unit, mean, unit,
               strcmp(mean, "1") ? "s" : "");
}

/* An event as check names it: "launch_days (“DPRK missile launch days”)", or its name alone. */
static void event_name(const nsm_event *ev, char *buf, size_t n)
{
    if (ev->label)
        snprintf(buf, n, "%s (\u201c%s\u201d)", ev->name, ev->label);
    else
        snprintf(buf, n, "%s", ev->name);
}

static void describe_events(const nsm_model *m)
{
    printf("\nCounted events (%d):\n", m->n_events);
    int width = 30; /* the names with their labels in one column, in display columns */
    for (int e = 0; e < m->n_events; e++) {
        char name[NSM_NAME_MAX + 1024];
        event_name(&m->events[e], name, sizeof name);
        width = nsm_text_width(name) > width ? nsm_text_width(name) : width;
    }
    for (int e = 0; e < m->n_events; e++) {
        const nsm_event *ev = &m->events[e];
        char name[NSM_NAME_MAX + 1024];
        event_name(ev, name, sizeof name);
        printf("  ");
        nsm_text_pad(stdout, name, width);
        printf(" %8.4g per year", ev->rate);
        if (ev->dispersion > 0)
            printf(", gamma dispersion k=%g redrawn every %d month%s", ev->dispersion,
                   ev->redraw_months, plural(ev->redraw_months));
        if (ev->counts_dates)
            printf(", counts dates (a date with several occurrences once)");
        printf("\n");
    }
}

static void describe_hazards(const nsm_model *m)
{
    char name[3 * NSM_NAME_MAX + 4];
    printf("\nTransitions (%d, base rates per year; a row written in another unit also as "
           "written):\n", m->n_transitions);
    for (int k = 0; k < m->n_transitions; k++) {
        const nsm_transition *tr = &m->transitions[k];
        nsm_process_name(m, k, name, sizeof name);
        printf("  %-60s %10.4g", name, tr->rate);
        /* the number the row holds, so that it reads against the row and "Uncertain numbers" */
        if (tr->rate > 0 && tr->unit == NSM_UNIT_MEAN_YEARS)
            printf("   (mean_years %.4g)", 1.0 / tr->rate);
        else if (tr->rate > 0 && tr->unit == NSM_UNIT_ANNUAL_PROBABILITY)
            printf("   (annual_probability %.4g)", -expm1(-tr->rate));
        print_duration(&tr->duration);
        if (tr->duration.on)
            print_first_stay(m, tr);
        printf("\n");
    }
    describe_events(m);
    printf("\nModifiers (%d, after expanding wildcards):\n", m->n_modifiers);
    int width = row_width(m, 0);
    for (int j = 0; j < m->n_modifiers; j++) {
        const nsm_modifier *mo = &m->modifiers[j];
        char row[NSM_NAME_MAX + 24];
        row_name(modifier_id(m, j), mo->row, row, sizeof row);
        nsm_process_name(m, mo->process, name, sizeof name);
        printf("  %-*s x%-8g %-50s while ", width, row, mo->multiplier, name);
        print_condition(m, &m->modifiers[j].cond);
        printf("\n");
    }
    printf("\nSeasonality: %s\n", m->seasonality ? "yes (calendar-month multipliers)" : "none");
}

/* The distribution a number of effect x is written as ("beta(8,2)"), or NULL. */
static const char *uncertain_text(const nsm_model *m, nsm_param_kind kind, int x)
{
    for (int k = 0; k < m->n_uncertain; k++)
        for (int j = 0; j < m->uncertain[k].n_params; j++)
            if (m->uncertain[k].params[j].kind == kind && m->uncertain[k].params[j].a == x)
                return m->uncertain[k].text;
    return NULL;
}

/* The delay in the terms of effects.csv: its kind (the `delay` column), its days, and the
** distribution of the days when they are uncertain (the model holds its mean). */
static void print_delay(const nsm_model *m, int x)
{
    const nsm_effect *e = &m->effects[x];
    const char *dist = uncertain_text(m, NSM_P_EFFECT_DELAY, x);
    double days = e->delay_days;
    switch (e->delay_kind) {
    case NSM_DELAY_FIXED: printf("delay %g day%s (fixed", days, plural(days)); break;
    case NSM_DELAY_UNIFORM: printf("delay uniform(0 to %g day%s", days, plural(days)); break;
    case NSM_DELAY_EXPONENTIAL:
        printf("delay exponential(mean %g day%s", days, plural(days));
        break;
    }
    printf("%s%s)", dist ? "; days: mean of " : "", dist ? dist : "");
}

static void describe_calendar(const nsm_model *m)
{
    /* by the date the row wrote (a repeat's own date), then the time in years, which the
    ** outputs' t_years column uses; the names in one column however long */
    printf("\nCalendar (%d occurrence%s within the horizon; date, then years from the start):\n",
           m->n_occurrences, plural(m->n_occurrences));
    int name_width = 0;
    for (int k = 0; k < m->n_occurrences; k++) {
        int w = (int)strlen(m->calendar_names[m->occurrences[k].entry]);
        name_width = w > name_width ? w : name_width;
    }
    for (int k = 0; k < m->n_occurrences; k++) {
        const nsm_occurrence *oc = &m->occurrences[k];
        char date[11];
        nsm_model_date(m, oc->t, date);
        printf("  %s  t=%7.3f y  %-*s ", date, nsm_years(oc->t), name_width,
               m->calendar_names[oc->entry]);
        print_action(m, &oc->action);
        if (m->calendar_when && m->calendar_when[oc->entry].n_clauses) {
            printf("  when ");
            print_condition(m, &m->calendar_when[oc->entry]);
        }
        printf("\n");
    }
    printf("\nEffects (%d):\n", m->n_effects);
    int width = row_width(m, 1);
    for (int x = 0; x < m->n_effects; x++) {
        const nsm_effect *e = &m->effects[x];
        char row[NSM_NAME_MAX + 24];
        row_name(effect_id(m, x), e->row, row, sizeof row);
        printf("  %-*s ", width, row);
        char trigger[4 * NSM_NAME_MAX + 32];
        nsm_trigger_format(m, e, trigger, sizeof trigger);
        printf("on %s", trigger);
        const char *dist = uncertain_text(m, NSM_P_EFFECT_PROBABILITY, x);
        printf(", p=%g%s%s%s, ", e->probability, dist ? " (mean of " : "", dist ? dist : "",
               dist ? ")" : "");
        print_delay(m, x);
        printf(" -> ");
        print_action(m, &e->action);
        if (e->when.n_clauses) {
            printf("  when ");
            print_condition(m, &e->when);
        }
        if (e->when_due.n_clauses) {
            printf("  when due, only if ");
            print_condition(m, &e->when_due);
        }
        printf("\n");
    }
    printf("\nOutcomes (%d):\n", m->n_outcomes);
    for (int o = 0; o < m->n_outcomes; o++) {
        printf("  %-34s ", m->outcomes[o].name);
        print_condition(m, &m->outcomes[o].cond);
        printf("%s\n", m->outcomes[o].occurrence == NSM_OCCUR_ONSET
                            ? "  (onset: a change into it after the start)" : "");
        /* what the tables, figures and brief call it, and which way is good news: the two cells
        ** an analyst checks here before a briefing reads them */
        const nsm_outcome *oc = &m->outcomes[o];
        const char *dir = oc->desirable == NSM_DESIRABLE_LOWER    ? "lower is better"
                          : oc->desirable == NSM_DESIRABLE_HIGHER ? "higher is better"
                                                                  : NULL;
        if (oc->label)
            printf("    \u201c%s\u201d%s%s\n", oc->label, dir ? ", " : "", dir ? dir : "");
        else if (dir)
            printf("    %s\n", dir);
    }
}

/* Draws with `given` cases (draws.csv): the order in which their conditions are tried. Shown only
** when a scenario has some, so that the description of every other scenario stays as it was. */
static void describe_conditioned_draws(const nsm_model *m)
{
    int n = 0;
    for (int d = 0; d < m->n_draws; d++)
        n += m->draws[d].n_cases > 1 || !m->draws[d].has_default;
    if (n == 0)
        return;
    printf("\nConditioned draws (%d; the first case whose condition holds is used):\n", n);
    for (int d = 0; d < m->n_draws; d++) {
        const nsm_draw *dr = &m->draws[d];
        if (dr->n_cases == 1 && dr->has_default)
            continue;
        printf("  %s (%s):", dr->name, m->factors[dr->factor].name);
        for (int c = dr->has_default; c < dr->n_cases; c++) {
            printf(" %d. given ", c + !dr->has_default);
            print_condition(m, &dr->given[c]);
            printf(";");
        }
        printf(dr->has_default ? " otherwise the default\n" : " (no default: these cover every state)\n");
    }
}

/* Folders joined by ';' (model.h: already as a reader would write them), one "; " apart. */
static void print_folders(const char *list)
{
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ";");
        printf("%.*s%s", (int)n, p, p[n] ? "; " : "");
        p += n + (p[n] == ';');
    }
}

static void describe_uncertain(const nsm_model *m)
{
    printf("\nUncertain numbers (%d, held at their means; drawn per replication by run):\n",
           m->n_uncertain);
    for (int k = 0; k < m->n_uncertain; k++) {
        const nsm_uncertain *u = &m->uncertain[k];
        printf("  %-64s %-26s mean %.4g\n", u->path, u->text, u->nominal);
    }
}

static void describe_levers(const nsm_model *m)
{
    printf("\nLevers (%d):\n", m->n_levers);
    for (int l = 0; l < m->n_levers; l++) {
        const nsm_lever *lv = &m->levers[l];
        printf("  %s", lv->name);
        if (lv->label)
            printf(" (\u201c%s\u201d)", lv->label);
        printf("%s%s\n", lv->description ? ": " : "", lv->description ? lv->description : "");
        for (int i = 0; i < m->n_lever_rows; i++) {
            const nsm_lever_row *lr = &m->lever_rows[i];
            if (lr->lever != l)
                continue;
            printf("    %s %s %g%s%s (%d number%s)\n", lr->op == NSM_OP_MULTIPLY ? "multiply" : "set",
                   lr->target, lr->value, lr->has_from_date ? " from " : "", lr->from_date,
                   lr->n_params, lr->n_params == 1 ? "" : "s");
        }
    }
}

/* --resolved DIR: the flattened tables and a manifest, swapped into place whole. */
static int write_resolved(const char *scenario, const nsm_model *m, const char *out, int argc,
                          char **argv)
{
    char dest[4096];
    char *staging = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_manifest *mf = calloc(1, sizeof *mf);
    nsm_cli_catch_sigint(1);
    nsm_status st = mf ? nsm_outdir_path(out, dest, sizeof dest, &d) : NSM_ERR_NOMEM;
    if (st == NSM_ERR_USAGE) {
        nsm_cli_catch_sigint(0);
        int code = nsm_cli_usage_error("check", "%s", d.error ? d.error : "bad --resolved");
        nsm_diag_release(&d);
        free(mf);
        return code;
    }
    if (st == NSM_OK)
        st = nsm_outdir_begin_scenario(dest, &staging, &d);
    if (st == NSM_OK)
        st = nsm_scenario_write_resolved(scenario, staging, &d);
    if (st == NSM_OK) {
        nsm_cli_manifest_head(mf, argc, argv);
        nsm_manifest_add(mf, "scenario", "%s", m->name);
        nsm_manifest_add(mf, "scenario_path", "%s", scenario);
        nsm_manifest_add(mf, "scenario_extends", "%s", m->extends ? m->extends : "NA");
        nsm_manifest_add(mf, "scenario_checksum", "sha256:%s", m->checksum);
        const nsm_write_options wo = {0};
        st = nsm_results_write_manifest(staging, mf, &wo, &d);
    }
    int code = nsm_cli_finish_folder("check", &st, staging, dest, &d);
    if (code == EXIT_OK)
        printf("Resolved tables written to %s/\n", dest);
    free(staging);
    free(mf);
    nsm_diag_release(&d);
    return code;
}

int nsm_cli_check(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(CHECK_HELP, stdout);
        return EXIT_OK;
    }
    if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        nsm_cli_version();
        return EXIT_OK;
    }
    const char *scenario = NULL, *resolved = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--resolved") && i + 1 < argc && argv[i + 1][0])
            resolved = argv[++i];
        else if (!strcmp(argv[i], "--resolved"))
            return nsm_cli_usage_error("check", "--resolved needs a folder to write into");
        else if (argv[i][0] == '-' || scenario)
            return nsm_cli_usage_error("check", "expects one scenario folder (and --resolved "
                                                "DIR), not '%s'", argv[i]);
        else
            scenario = argv[i];
    }
    if (!scenario)
        return nsm_cli_usage_error("check", "which scenario? give a folder");
    nsm_model *m = NULL;
    int code = nsm_cli_load(scenario, &m, 0);
    if (code != EXIT_OK)
        return code;
    printf("%s: valid scenario '%s' (%s)\n", scenario, m->name, m->title);
    if (m->label)
        printf("Label: %s (its name where scenarios are compared).\n", m->label);
    if (m->extends) {
        printf("Extends ");
        print_folders(m->extends);
        printf(" (the tables here are patches of it; --resolved writes them merged).\n");
    }
    if (m->report_interval_months == 1)
        printf("From %s to %s, reports every month: %d report date%s.\n", m->report_date[0],
               m->report_date[m->n_reports - 1], m->n_reports, plural(m->n_reports));
    else
        printf("From %s to %s, reports every %d months: %d report date%s.\n",
               m->report_date[0], m->report_date[m->n_reports - 1], m->report_interval_months,
               m->n_reports, plural(m->n_reports));
    printf("Checksum sha256:%s\n", m->checksum);
    describe_factors(m);
    describe_hazards(m);
    describe_calendar(m);
    describe_conditioned_draws(m);
    describe_uncertain(m);
    describe_levers(m);
    if (resolved)
        code = write_resolved(scenario, m, resolved, argc, argv);
    nsm_model_free(m);
    return code;
}
