/*
** discover.c: `neasim discover SWEEP --outcome NAME --threshold P`: scenario discovery with PRIM
** on a finished sweep. Reads the sweep (sweep/discover.c), writes prim_trajectory.csv and
** prim_box.csv atomically, and tells the chosen box in an analyst's words.
*/
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "neasim/discover.h"
#include "neasim/outdir.h"
#include "neasim/prim_tables.h"
#include "neasim/text.h"

static const char DISCOVER_HELP[] =
    "Usage: neasim discover SWEEP --outcome NAME --threshold P [--above | --below] [options]\n"
    "\n"
    "Scenario discovery with PRIM (Friedman and Fisher 1999, as the EMA Workbench does it) on\n"
    "the results folder SWEEP of `neasim sweep --lhs N` (or --design, --grid, --sobol): the box\n"
    "of swept numbers in which the outcome's probability exceeds P (falls below P with\n"
    "--below). Writes prim_trajectory.csv and prim_box.csv into SWEEP/discover-NAME (or DIR)\n"
    "and prints the box.\n"
    "\n"
    "      --outcome NAME     an outcome of the scenario (required)\n"
    "      --threshold P      a probability: 0.3 or 30% (required)\n"
    "      --above, --below   a point is a case when its probability is above P (default) or\n"
    "                         below it\n"
    "      --horizon H        the horizon: a date of sweep.csv (2030-01-01) or years (5);\n"
    "                         default the last\n"
    "      --measure M        occurred_by (default) or holds\n"
    "      --levers SET       the points of this lever set (needed when the sweep varies them)\n"
    "      --alpha A          share of the box's points each peel takes off (default 0.05)\n"
    "      --paste-alpha A    share of the points beside the box a paste takes in (0.05)\n"
    "      --min-mass M       peeling stops before the box holds less than this share of the\n"
    "                         points (default 0.05)\n"
    "      --density D        report the box with the largest coverage among those whose\n"
    "                         density reaches D (the densest if none does) instead of the\n"
    "                         knee of the coverage-density trade-off (the default)\n"
    "      --max-qp Q         then drop, one at a time, the restrictions whose quasi-p-value\n"
    "                         exceeds Q (default 0.05; 1 keeps them all)\n"
    "      --box K            report step K of the trajectory instead, as it is\n"
    "  -o, --out DIR          results folder (default SWEEP/discover-NAME)\n"
    "      --bom              start each CSV with a UTF-8 byte-order mark (Excel)\n"
    "  -q, --quiet            no summary\n"
    "  -h, --help             this help\n"
    "  -V, --version          the version\n";

typedef struct {
    nsm_discover_options d;
    const char *out;
    int bom, quiet;
    char out_path[4096];
} discover_cli;

/* A number in [lo, hi] (a trailing % divides by 100 when percent is set); -1 after a message. */
static int parse_real(const char *opt, const char *text, double lo, double hi, int percent,
                      double *v)
{
    char *end;
    *v = strtod(text, &end);
    if (percent && end != text && !strcmp(end, "%")) {
        *v /= 100;
        end++;
    }
    if (end == text || *end || !(*v >= lo && *v <= hi)) {
        nsm_cli_usage_error("discover", "%s expects a number from %g to %g%s, got '%s'", opt, lo,
                            hi, percent ? " (or a percentage such as 30%)" : "", text);
        return -1;
    }
    return 0;
}

static int parse_value(int c, const char *arg, discover_cli *o)
{
    uint64_t k;
    switch (c) {
    case 'O': o->d.outcome = arg; return 0;
    case 'T': return parse_real("--threshold", arg, 0, 1, 1, &o->d.threshold);
    case 'H': o->d.horizon = arg; return 0;
    case 'M': o->d.measure = arg; return 0;
    case 'L': o->d.levers = arg; return 0;
    case 'a': return parse_real("--alpha", arg, 0.001, 0.49, 0, &o->d.prim.peel_alpha);
    case 'p': return parse_real("--paste-alpha", arg, 0.001, 0.49, 0, &o->d.prim.paste_alpha);
    case 'm': return parse_real("--min-mass", arg, 0, 0.99, 0, &o->d.prim.mass_min);
    case 'D': return parse_real("--density", arg, 0, 1, 1, &o->d.target);
    case 'Q': return parse_real("--max-qp", arg, 0, 1, 0, &o->d.max_qp);
    case 'K':
        if (nsm_cli_parse_u64("--box", arg, 0, 1000000, &k) != 0)
            return EXIT_USAGE;
        o->d.box = (int)k;
        return 0;
    case 'o': o->out = arg; return 0;
    }
    return 0;
}

static int parse(int argc, char **argv, discover_cli *o)
{
    static const struct option longopts[] = {
        {"outcome", required_argument, NULL, 'O'},  {"threshold", required_argument, NULL, 'T'},
        {"above", no_argument, NULL, 'A'},          {"below", no_argument, NULL, 'B'},
        {"horizon", required_argument, NULL, 'H'},  {"measure", required_argument, NULL, 'M'},
        {"levers", required_argument, NULL, 'L'},   {"alpha", required_argument, NULL, 'a'},
        {"paste-alpha", required_argument, NULL, 'p'}, {"min-mass", required_argument, NULL, 'm'},
        {"density", required_argument, NULL, 'D'},  {"box", required_argument, NULL, 'K'},
        {"max-qp", required_argument, NULL, 'Q'},
        {"out", required_argument, NULL, 'o'},      {"bom", no_argument, NULL, 'b'},
        {"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},        {NULL, 0, NULL, 0}};
    *o = (discover_cli){0};
    o->d.prim = (nsm_prim_options)NSM_PRIM_DEFAULTS;
    o->d.target = NAN;
    o->d.max_qp = 0.05;
    o->d.box = -1;
    o->d.threshold = NAN;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, ":o:qhV", longopts, NULL)) != -1;) {
        switch (c) {
        case 'h': fputs(DISCOVER_HELP, stdout); return -1;
        case 'V': nsm_cli_version(); return -1;
        case ':':
            return nsm_cli_usage_error("discover", "option '%s' needs a value", argv[optind - 1]);
        case '?':
            return nsm_cli_usage_error("discover", "unknown option '%s'", argv[optind - 1]);
        case 'A': o->d.below = 0; break;
        case 'B': o->d.below = 1; break;
        case 'b': o->bom = 1; break;
        case 'q': o->quiet = 1; break;
        default:
            if (parse_value(c, optarg, o) != 0)
                return EXIT_USAGE;
        }
    }
    if (optind != argc - 1)
        return nsm_cli_usage_error("discover", optind >= argc ? "which sweep? give its results "
                                   "folder" : "give one sweep folder, not %d", argc - optind);
    o->d.sweep = argv[optind];
    if (!o->d.outcome)
        return nsm_cli_usage_error("discover", "--outcome NAME is required");
    if (isnan(o->d.threshold))
        return nsm_cli_usage_error("discover", "--threshold P is required (a probability: 0.3 "
                                   "or 30%%)");
    if (o->d.measure && strcmp(o->d.measure, "occurred_by") && strcmp(o->d.measure, "holds"))
        return nsm_cli_usage_error("discover", "--measure is occurred_by or holds, not '%s'",
                                   o->d.measure);
    return 0;
}

/* The destination: --out, or SWEEP/discover-OUTCOME. */
static int destination(discover_cli *o)
{
    char buf[4096];
    const char *want = o->out;
    if (!want) {
        snprintf(buf, sizeof buf, "%s/discover-%s", o->d.sweep, o->d.outcome);
        want = buf;
    }
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = nsm_outdir_path(want, o->out_path, sizeof o->out_path, &d);
    if (st != NSM_OK)
        nsm_cli_usage_error("discover", "%s", d.error ? d.error : "bad --out");
    nsm_diag_release(&d);
    return st == NSM_OK ? 0 : EXIT_USAGE;
}

static const char *rule(const discover_cli *o)
{
    return o->d.box >= 0           ? "--box"
           : isnan(o->d.target) ? "knee of the trade-off curve"
                                : "largest coverage with density at the target";
}

static void manifest(nsm_manifest *mf, const discover_cli *o, const nsm_discovery *r, int argc,
                     char **argv)
{
    const nsm_discover_options *d = &o->d;
    const nsm_prim_step *s = &r->prim.steps[r->chosen];
    nsm_cli_manifest_head(mf, argc, argv);
    nsm_manifest_add(mf, "sweep", "%s", d->sweep);
    nsm_manifest_add(mf, "scenario", "%s", r->scenario[0] ? r->scenario : "NA");
    nsm_manifest_add(mf, "scenario_title", "%s", r->scenario_title[0] ? r->scenario_title : "NA");
    nsm_manifest_add(mf, "seed", "%s", r->seed[0] ? r->seed : "NA");
    nsm_manifest_add(mf, "runs_per_point", "%.0f", r->runs_per_point);
    nsm_manifest_add(mf, "outcome", "%s", d->outcome);
    nsm_manifest_add(mf, "outcome_label", "%s", r->outcome_label[0] ? r->outcome_label : "NA");
    nsm_manifest_add(mf, "measure", "%s", d->measure ? d->measure : "occurred_by");
    nsm_manifest_add(mf, "horizon_date", "%s", r->date);
    nsm_manifest_add(mf, "horizon_years", "%.10g", r->horizon_years);
    nsm_manifest_add(mf, "levers", "%s", d->levers ? d->levers : "NA");
    nsm_manifest_add(mf, "threshold", "%.10g", d->threshold);
    nsm_manifest_add(mf, "case", "%s", d->below ? "below" : "above");
    nsm_manifest_add(mf, "points", "%d", r->n);
    nsm_manifest_add(mf, "cases", "%.10g", r->prim.total);
    nsm_manifest_add(mf, "peel_alpha", "%.10g", d->prim.peel_alpha);
    nsm_manifest_add(mf, "paste_alpha", "%.10g", d->prim.paste_alpha);
    nsm_manifest_add(mf, "mass_min", "%.10g", d->prim.mass_min);
    nsm_manifest_add(mf, "objective", "lenient1");
    nsm_manifest_add(mf, "box_rule", "%s", rule(o));
    if (isnan(d->target))
        nsm_manifest_add(mf, "density_target", "NA");
    else
        nsm_manifest_add(mf, "density_target", "%.10g", d->target);
    nsm_manifest_add(mf, "max_quasi_p", "%.10g", d->box >= 0 ? 1.0 : d->max_qp);
    nsm_manifest_add(mf, "picked_step", "%d", r->picked);
    nsm_manifest_add(mf, "chosen_step", "%d", r->chosen);
    nsm_manifest_add(mf, "chosen_mass", "%.10g", s->mass);
    nsm_manifest_add(mf, "chosen_coverage", "%.10g", s->coverage);
    nsm_manifest_add(mf, "chosen_density", "%.10g", s->density);
    char started[32];
    nsm_cli_now(started);
    nsm_manifest_add(mf, "started_utc", "%s", started);
}

static nsm_status write_folder(const discover_cli *o, const nsm_discovery *r, const char *staging,
                               int argc, char **argv, nsm_diag *d)
{
    nsm_manifest *mf = calloc(1, sizeof *mf);
    if (!mf)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    const nsm_write_options wo = {o->bom};
    const nsm_prim_tables t = {&r->prim, (const char *const *)r->names,
                               (const char *const *)r->labels, r->chosen, r->quasi_p,
                               r->quasi_p_side};
    manifest(mf, o, r, argc, argv);
    nsm_status st = nsm_prim_tables_write(staging, &t, &wo, d);
    if (st == NSM_OK)
        st = nsm_results_write_manifest(staging, mf, &wo, d);
    free(mf);
    return st;
}

static double pct(double v)
{
    return 100 * v;
}

/* "above 1.6 (sampled 0.1 to 3)", "below 0.4 (...)", "between 0.2 and 0.6 (...)": the bound
** straight after the comparison, then the range the sweep's points cover (step 0's box), apart in
** parentheses, so that no number of the range reads as the thing compared. */
static void describe_limits(const nsm_discovery *r, int j, char *buf, size_t size)
{
    double lo = nsm_prim_lower(&r->prim, r->chosen, j), hi = nsm_prim_upper(&r->prim, r->chosen, j);
    int n = 0;
    switch (nsm_prim_restricted(&r->prim, r->chosen, j)) {
    case 1: n = snprintf(buf, size, "above %.3g", lo); break;
    case 2: n = snprintf(buf, size, "below %.3g", hi); break;
    default: n = snprintf(buf, size, "between %.3g and %.3g", lo, hi); break;
    }
    if (n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " (sampled %.3g to %.3g)",
                 nsm_prim_lower(&r->prim, 0, j), nsm_prim_upper(&r->prim, 0, j));
}

/* The outcome for people: its label in quotes as the scenario gives it (labels.csv), with its
** name after it when `with_name` (what --outcome takes, for the next command); the name alone
** for a scenario without labels. */
static void outcome_text(const discover_cli *o, const nsm_discovery *r, int with_name, char *buf,
                         size_t size)
{
    if (!r->outcome_label[0])
        snprintf(buf, size, "%s", o->d.outcome);
    else if (with_name)
        snprintf(buf, size, "\u201c%s\u201d (%s)", r->outcome_label, o->d.outcome);
    else
        snprintf(buf, size, "\u201c%s\u201d", r->outcome_label);
}

/* Print text wrapped at 96 columns. */
static void print_wrapped(const char *text)
{
    int col = 0;
    for (const char *p = text; *p;) {
        size_t word = strcspn(p, " ");
        int ww = nsm_text_width_n(p, word); /* in columns: labels are free UTF-8 text */
        if (col > 0 && col + 1 + ww > 96) {
            putchar('\n');
            col = 0;
        } else if (col > 0) {
            putchar(' ');
            col++;
        }
        fwrite(p, 1, word, stdout);
        col += ww;
        p += word;
        p += strspn(p, " ");
    }
    putchar('\n');
}

/* The box in one sentence: mass, coverage, density, and the limits that define it. */
static void sentence(const discover_cli *o, const nsm_discovery *r)
{
    const nsm_prim_step *s = &r->prim.steps[r->chosen];
    const char *verb = o->d.below ? "falls below" : "exceeds";
    const char *how = o->d.measure && !strcmp(o->d.measure, "holds") ? "holds on" : "by";
    char text[8192], what[640];
    outcome_text(o, r, 0, what, sizeof what);
    size_t n = (size_t)snprintf(
        text, sizeof text, "In %.0f%% of the assumption space (mass), holding %.0f%% of the points "
        "where the probability of %s %s %s %s %.3g%% (coverage), it %s it at %.0f%% of the points "
        "(density)", pct(s->mass), pct(s->coverage), what, how, r->date, verb,
        pct(o->d.threshold), verb, pct(s->density));
    if (s->n_restricted == 0 && r->chosen != r->picked) {
        /* the rule's box did restrict numbers: saying no box came closer would be false */
        snprintf(text + n, sizeof text - n, ": the whole space; the box of step %d (%s) "
                 "restricted %d number%s, and each was dropped in turn, its quasi-p above %.2g "
                 "(--max-qp).", r->picked, rule(o), r->prim.steps[r->picked].n_restricted,
                 r->prim.steps[r->picked].n_restricted == 1 ? "" : "s", o->d.max_qp);
        print_wrapped(text);
        return;
    }
    if (s->n_restricted == 0) {
        snprintf(text + n, sizeof text - n, ": the whole space; %s.",
                 o->d.box >= 0        ? "step 0 of the trajectory (--box)"
                 : isnan(o->d.target) ? "no smaller box comes closer to coverage 1 and density 1"
                                      : "no smaller box reaches the density asked (--density) "
                                        "with more coverage");
        print_wrapped(text);
        return;
    }
    n += (size_t)snprintf(text + n, sizeof text - n, ": when");
    for (int j = 0, k = 0; j < r->d && n < sizeof text; j++) {
        if (!nsm_prim_restricted(&r->prim, r->chosen, j))
            continue;
        char lim[160];
        describe_limits(r, j, lim, sizeof lim);
        n += (size_t)snprintf(text + n, sizeof text - n, "%s %s is %s",
                              k == 0 ? "" : k == s->n_restricted - 1 ? " and" : ",", r->labels[j],
                              lim);
        k++;
    }
    if (n < sizeof text - 1)
        strcat(text, ".");
    print_wrapped(text);
}

static void summary(const discover_cli *o, const nsm_discovery *r)
{
    const nsm_prim_step *s = &r->prim.steps[r->chosen];
    const char *how = o->d.measure && !strcmp(o->d.measure, "holds") ? "holds on" : "by";
    char what[640], head[1536];
    outcome_text(o, r, 1, what, sizeof what);
    snprintf(head, sizeof head, "%s: at %.0f of its %d points (%.1f%%) the probability of %s %s "
             "%s is %s %.3g%%", o->d.sweep, r->prim.total, r->n, pct(r->prim.total / r->n), what,
             how, r->date, o->d.below ? "below" : "above", pct(o->d.threshold));
    print_wrapped(head); /* a label makes it longer than a line */
    printf("-> %s\n\n", o->out_path);
    sentence(o, r);
    int drops = 0;
    for (int k = 0; k < r->prim.n_steps; k++)
        drops += r->prim.steps[k].kind == NSM_PRIM_DROP;
    if (drops)
        snprintf(head, sizeof head, "Box: step %d of %d (%s, step %d, then %d restriction%s with "
                 "quasi-p above %.2g dropped): %d points, %.0f cases", r->chosen,
                 r->prim.n_steps - 1, rule(o), r->picked, drops, drops == 1 ? "" : "s",
                 o->d.max_qp, s->points, s->cases);
    else
        snprintf(head, sizeof head, "Box: step %d of %d (%s): %d points, %.0f cases", r->chosen,
                 r->prim.n_steps - 1, rule(o), s->points, s->cases);
    putchar('\n');
    print_wrapped(head);
    int w = 9;
    for (int j = 0; j < r->d; j++)
        if (nsm_prim_restricted(&r->prim, r->chosen, j) && nsm_text_width(r->labels[j]) > w)
            w = nsm_text_width(r->labels[j]);
    printf("  %-*s %12s %12s %12s %12s %10s\n", w, "parameter", "lower", "upper", "data min",
           "data max", "quasi-p");
    for (int j = 0; j < r->d; j++) {
        if (!nsm_prim_restricted(&r->prim, r->chosen, j))
            continue;
        printf("  ");
        nsm_text_pad(stdout, r->labels[j], w);
        printf(" %12.4g %12.4g %12.4g %12.4g %10.2g\n",
               nsm_prim_lower(&r->prim, r->chosen, j), nsm_prim_upper(&r->prim, r->chosen, j),
               nsm_prim_lower(&r->prim, 0, j), nsm_prim_upper(&r->prim, 0, j), r->quasi_p[j]);
    }
    printf("\nmass: share of the sweep's points in the box; coverage: share of the cases that are\n"
           "in it; density: share of its points that are cases. quasi-p: how likely the box would\n"
           "hold so many cases without that restriction (one-sided binomial; small: it matters).\n"
           "The trade-off of coverage and density along the %d box%s of the peeling trajectory\n"
           "is in prim_trajectory.csv; --box K or --density D reports another.\n",
           r->prim.n_steps, r->prim.n_steps == 1 ? "" : "es");
    if (r->runs_per_point > 0 && r->runs_per_point < 10000)
        printf("Each point's probability comes from %.0f runs: a point near the threshold may "
               "fall on either side of it by chance.\n", r->runs_per_point);
}

int nsm_cli_discover(int argc, char **argv)
{
    discover_cli o;
    int code = parse(argc, argv, &o);
    if (code)
        return code < 0 ? EXIT_OK : code;
    if ((code = destination(&o)) != 0)
        return code;
    nsm_discovery r;
    nsm_diag d;
    nsm_diag_init(&d);
    char *staging = NULL;
    nsm_status st = nsm_discover(&o.d, &r, &d);
    if (st == NSM_ERR_USAGE && d.error) { /* an option the sweep cannot meet: named as such */
        nsm_cli_print_warnings(&d, o.quiet);
        code = nsm_cli_usage_error("discover", "%s", d.error);
        goto out;
    }
    if (st != NSM_OK) {
        nsm_cli_print_diag("discover", st, &d);
        code = nsm_cli_exit_code(st, 1);
        goto out;
    }
    nsm_cli_catch_sigint(1);
    st = nsm_outdir_begin(o.out_path, &staging, &d);
    nsm_cli_print_warnings(&d, o.quiet);
    if (st == NSM_OK)
        st = write_folder(&o, &r, staging, argc, argv, &d);
    code = nsm_cli_finish_folder("discover", &st, staging, o.out_path, &d);
    if (st == NSM_OK && !o.quiet)
        summary(&o, &r);
out:
    free(staging);
    nsm_discovery_release(&r);
    nsm_diag_release(&d);
    return code;
}
