# Figures of sweeps without a tornado: grid, LHS and design files, and Sobol charts of outcomes
# that do not vary. Builds the figures of real sweeps of tests/models/known_levers (without
# drawing them) and checks them against the sweep's own numbers: in that model switch x moves
# only outcome x_on, through its rate `transitions:x:off>on` or a lever (amplify_a -> a_on,
# boost_b -> b_on); the counted events move with nothing swept.
#
# Usage: Rscript tests/figures_sweeps.R SCRIPTS_DIR GRID_DIR LHS_DIR DESIGN_DIR SOBOL_A_DIR BASE_LHS_DIR
#          BASE_GRID_DIR BASE_RATES_DIR
#   GRID_DIR: --grid over transitions:a:off>on, transitions:b:off>on and levers none;amplify_a;
#   LHS_DIR: --lhs; DESIGN_DIR: --design with the three rates and a levers column (none, boost_b);
#   SOBOL_A_DIR: --sobol with --params 'transitions:a:*' (b_on and c_on do not vary);
#   BASE_LHS_DIR: --lhs of scenarios/baseline (158 numbers, too few points for a ranking);
#   BASE_GRID_DIR: --grid of scenarios/baseline over a rate (x), a modifier with a long label
#   (rows: 2;4;6) and levers none;us_posture_review; BASE_RATES_DIR: --lhs 60 of the baseline's
#   rates alone (--params 'transitions:*': 46 regressors on 60 points).
# Prints one FAIL line per failed check and "sweeps: N passed, M failed"; exits 1 on a failure.

source("tests/figures_check.R")
args <- figure_test_args(8, paste("tests/figures_sweeps.R SCRIPTS_DIR GRID_DIR LHS_DIR DESIGN_DIR",
                                   "SOBOL_A_DIR BASE_LHS_DIR BASE_GRID_DIR BASE_RATES_DIR"))
dirs <- list(grid = args[2], lhs = args[3], design = args[4], sobol = args[5], base_lhs = args[6],
             base_grid = args[7], base_rates = args[8])

figures_in <- function(dir, fun = "fig_sweep") figures_of(fun, suppressMessages(nsm_context(dir)))
sweep_of <- function(dir) {
    s <- read.csv(file.path(dir, "sweep.csv"), stringsAsFactors = FALSE, check.names = FALSE)
    s[s$quantity == "outcome" & s$measure == "occurred_by", ]
}
RATE <- function(x) sprintf("transitions:%s:off>on", x)

# ---- grid: one page per outcome; the lever's series is the one that moves its outcome ----------

grid <- figures_in(dirs$grid)
check(setequal(names(grid), paste0("sweep_grid_", c("a_on", "b_on", "c_on"))),
      paste("grid: figures", paste(names(grid), collapse = " ")))
b <- ggplot_build(grid$sweep_grid_a_on$plot)
leg <- legend_of(b, "colour")
check(setequal(leg$label, c("No lever", "Amplify a")), paste("grid: legend", paste(leg$label, collapse = ", ")))
pts <- b$data[[2]]                                    # geom_point
for (p in unique(pts$PANEL)) {
    x <- pts[pts$PANEL == p, ]
    up <- mean(x$y[x$colour == leg$value[leg$label == "Amplify a"]])
    none <- mean(x$y[x$colour == leg$value[leg$label == "No lever"]])
    check(up > none + 0.1, sprintf("grid: in panel %s the 'Amplify a' points (%.2f) are not above 'No lever' (%.2f)", p, up, none))
}
# every point of the page is a row of sweep.csv at its horizon, x = the rate of a
s <- sweep_of(dirs$grid)
s <- s[s$name == "a_on", ]
check(nrow(pts) == nrow(s) && setequal(round(pts$x, 9), round(s[[RATE("a")]], 9)) &&
      all(round(sort(pts$y), 9) == round(sort(s$value), 9)),
      "grid: the points of a_on are not sweep.csv's")
check(identical(flat(b$plot$labels$x), "transition a:off>on"), paste("grid: x axis", b$plot$labels$x))

# ---- LHS: the ranking is the rank regression of sweep.csv, and a's rate orders a_on -----------

# SRRC recomputed here: ranks standardized, least squares
srrc_here <- function(y, X) {
    z <- function(v) (rank(v) - mean(rank(v))) / stats::sd(rank(v))
    M <- vapply(X, z, numeric(length(y)))
    stats::setNames(qr.coef(qr(cbind(1, M)), z(y))[-1], names(X))
}
# what the chart calls each regressor
REGRESSOR <- c("transition a:off>on" = RATE("a"), "transition b:off>on" = RATE("b"),
               "transition c:off>on" = RATE("c"), "Lever set: Boost b" = "levers=boost_b")
check_ranking <- function(dir, regressors, expect, constant) {
    figs <- figures_in(dir)
    check("sweep_ranking" %in% names(figs), paste(dir, ": no sweep_ranking figure"))
    if (!("sweep_ranking" %in% names(figs))) return(invisible())
    b <- ggplot_build(figs$sweep_ranking$plot)
    leg <- legend_of(b, "colour")
    pts <- b$data[[3]]                                 # geom_point: x = SRRC
    ys <- b$data[[2]]                                  # geom_linerange: its interval
    panels <- b$layout$layout
    s <- sweep_of(dir)
    s <- s[s$horizon_years == max(s$horizon_years), ]
    for (o in names(expect)) {
        so <- s[s$name == o, ]
        so <- so[order(so$point), ]
        X <- regressors(so)
        want <- srrc_here(so$value, X)
        p <- panels$PANEL[startsWith(flat(panel_titles(b)), nsm_label(o))]
        if (length(p) != 1) { check(FALSE, paste(dir, ": no panel for", o)); next }
        # each panel has its own regressors (free y scales)
        yl <- flat(b$layout$panel_scales_y[[panels$SCALE_Y[panels$PANEL == p]]]$get_labels())
        for (r in names(expect[[o]])) {
            k <- match(r, yl)
            got <- pts[pts$PANEL == p & round(pts$y) == k, ]
            iv <- ys[ys$PANEL == p & round(ys$y) == k, ]
            if (nrow(got) != 1 || nrow(iv) != 1) { check(FALSE, paste(dir, ":", o, "has no point for", r)); next }
            check(abs(got$x - want[[REGRESSOR[[r]]]]) < 1e-9,
                  sprintf("%s: %s, %s: the point is %g, the rank regression of sweep.csv gives %g", dir, o, r,
                          got$x, want[[REGRESSOR[[r]]]]))
            check(expect[[o]][[r]](got$x), sprintf("%s: %s, %s: SRRC %g not as expected", dir, o, r, got$x))
            status <- if (iv$xmin > 0 || iv$xmax < 0) "Distinguishable from 0 (95% interval)" else "Not distinguishable"
            check(identical(got$colour, leg$value[leg$label == status]),
                  sprintf("%s: %s, %s: interval [%g, %g] but coloured as '%s'", dir, o, r, iv$xmin, iv$xmax,
                          leg$label[leg$value == got$colour]))
        }
    }
    # the series that do not vary are named in the subtitle, not drawn
    check(grepl(paste0("(no variation over the sweep): ", constant, "."), flat(b$plot$labels$subtitle),
                fixed = TRUE), paste(dir, ": the subtitle does not name the series that do not vary:", constant))
}
# The title of each panel of built plot b as drawn (its labeller's), in PANEL order.
panel_titles <- function(b) {
    lay <- b$layout$layout
    lab <- b$plot$facet$params$labeller(lay[, "panel", drop = FALSE])
    as.character(lab[[1]])
}
big <- function(v) v > 0.9
small <- function(v) abs(v) < 0.3
check_ranking(dirs$lhs, function(so) so[, RATE(c("a", "b", "c"))],
              list(a_on = list("transition a:off>on" = big, "transition b:off>on" = small),
                   b_on = list("transition b:off>on" = big, "transition a:off>on" = small)),
              "Alarm a, Alarm b, Alarm c")
# a design file with a levers column: the lever set is ranked as a 0/1 regressor
check_ranking(dirs$design,
              function(so) cbind(so[, RATE(c("a", "b"))],
                                 "levers=boost_b" = as.numeric(so$levers == "boost_b")),
              list(b_on = list("Lever set: Boost b" = function(v) v > 0.4),
                   a_on = list("transition a:off>on" = function(v) v > 0.6,
                               "Lever set: Boost b" = small)),
              "C on, Alarm a, Alarm c")

# scatter: a page per outcome; the points of a panel are sweep.csv's values against that number
sc <- figures_in(dirs$lhs)
check(all(paste0("sweep_scatter_", c("a_on", "b_on", "c_on")) %in% names(sc)), "lhs: scatter pages missing")
b <- ggplot_build(sc$sweep_scatter_a_on$plot)
s <- sweep_of(dirs$lhs)
s <- s[s$name == "a_on", ]
for (x in c("a", "b", "c")) {
    p <- b$layout$layout$PANEL[flat(as.character(b$layout$layout$panel)) == paste0("transition ", x, ":off>on")]
    pts <- b$data[[1]][b$data[[1]]$PANEL == p, ]
    check(length(p) == 1 && setequal(paste(round(pts$x, 9), round(pts$y, 9)),
                                      paste(round(s[[RATE(x)]], 9), round(s$value, 9))),
          paste("lhs: scatter panel of", x, "is not sweep.csv's points"))
}

# ---- Sobol: outcomes the swept numbers do not move get no chart, and the others say so --------

sob <- figures_in(dirs$sobol, "fig_sensitivity")
check(identical(names(sob), "sensitivity_a_on"), paste("sobol: figures", paste(names(sob), collapse = " ")))
if (length(sob) == 1) {
    check(grepl("No chart for B on, C on", flat(sob[[1]]$plot$labels$subtitle), fixed = TRUE),
          "sobol: the subtitle does not name the outcomes without variance")
    b <- ggplot_build(sob[[1]]$plot)
    check(all(is.finite(b$data[[3]]$y)), "sobol: a point without an estimate is drawn")
}

# ---- LHS of many numbers: each scatter page shows the numbers most correlated with its outcome --

# The widths (inches) of the columns of gtable g laid out `width` inches wide (null units shared).
column_widths <- function(g, width) with(column_edges(g, width), right - left)

ctx <- suppressMessages(nsm_context(dirs$base_lhs))
sc <- suppressMessages(fig_sweep(ctx))
sc <- sc[startsWith(vapply(sc, function(f) f$name, ""), "sweep_scatter_")]
s <- read.csv(file.path(dirs$base_lhs, "sweep.csv"), stringsAsFactors = FALSE, check.names = FALSE)
s <- s[s$quantity == "outcome" & s$measure == "occurred_by", ]
swept <- sweep_design_columns(s)
swept <- swept[vapply(swept, function(c) length(unique(s[[c]])) > 1, TRUE)]
check(length(sc) >= 3 && length(swept) > 12, sprintf("base lhs: %d scatter pages of %d numbers", length(sc),
                                                     length(swept)))
for (f in sc) {
    o <- sub("^sweep_scatter_", "", f$name)
    at <- s[s$name == o & s$horizon_years == max(s$horizon_years), ]
    rho <- vapply(swept, function(c) abs(stats::cor(at[[c]], at$value, method = "spearman")), 0)
    want <- names(sort(rho, decreasing = TRUE))[1:12]
    b <- ggplot_build(f$plot)
    # each panel's numbers: the design columns whose values are the panel's x values (two numbers
    # drawn from one distribution may share them), of which the wanted one must be
    panels <- sort(unique(b$data[[1]]$PANEL))
    ok <- length(panels) == 12 && all(vapply(seq_along(panels), function(i) {
        x <- sort(round(unique(b$data[[1]]$x[b$data[[1]]$PANEL == panels[i]]), 9))
        identical(sort(round(unique(at[[want[i]]]), 9)), x)
    }, TRUE))
    check(ok, sprintf("%s: the panels are not, in order, the 12 numbers most correlated with it at %g years (%s)",
                      f$name, max(s$horizon_years), paste(want, collapse = " ")))
    check(grepl(sprintf("the 12 of %d swept numbers most correlated with it", length(swept)),
                flat(b$plot$labels$subtitle), fixed = TRUE),
          sprintf("%s: the subtitle does not say which 12 of %d numbers: %s", f$name, length(swept),
                  flat(b$plot$labels$subtitle)))
    # every line of every strip title within its panel's width, as drawn
    over <- on_device(f$plot, NSM_WIDTH, NSM_HEIGHT, function(g) {
        w <- column_widths(g, NSM_WIDTH)
        el <- calc_element("strip.text.x.top", theme_get() + f$plot$theme)
        gp <- grid::gpar(fontsize = el$size, fontface = el$face, fontfamily = el$family)
        over <- character(0)
        for (k in which(grepl("^strip-t", g$layout$name))) {
            panel_in <- sum(w[g$layout$l[k]:g$layout$r[k]])
            # strip-t-COLUMN-ROW: the panel of that row and column of the layout
            cr <- as.integer(strsplit(sub("^strip-t-", "", g$layout$name[k]), "-")[[1]])
            lay <- b$layout$layout
            lab <- as.character(lay$panel[lay$COL == cr[1] & lay$ROW == cr[2]])
            if (length(lab) != 1) next
            for (line in strsplit(lab, "\n", fixed = TRUE)[[1]]) {
                lw <- grid::convertWidth(grid::grobWidth(grid::textGrob(line, gp = gp)), "in", TRUE)
                if (lw > panel_in + 0.01)
                    over <- c(over, sprintf("'%s' (%.2f in of %.2f)", line, lw, panel_in))
            }
        }
        over
    })
    check(length(over) == 0, sprintf("%s: strip titles wider than their panels: %s", f$name,
                                     paste(utils::head(over, 3), collapse = "; ")))
}

# ---- grid of the baseline: panels drawn, and each row's strip shows its value within the figure --

bg <- figures_in(dirs$base_grid)
s <- sweep_of(dirs$base_grid)
rows_of <- sort(unique(s[["modifiers:43"]]))
nh <- length(unique(s$horizon_years))
check(length(bg) >= 3, sprintf("base grid: %d figures", length(bg)))
for (f in bg) {
    b <- ggplot_build(f$plot)
    lay <- b$layout$layout
    check(length(b$data) > 0 && all(vapply(b$data, nrow, 0) > 0) && nrow(lay) == nh * length(rows_of) &&
          all(vapply(b$data, function(x) setequal(unique(x$PANEL), lay$PANEL), TRUE)),
          sprintf("%s: %d panels (want %d horizons x %d rows), not all with data", f$name, nrow(lay), nh,
                  length(rows_of)))
    # each row strip's last line is "= VALUE", one row per value of the row number
    last <- vapply(strsplit(as.character(unique(lay$row)), "\n"), function(x) x[length(x)], "")
    check(setequal(last, paste("=", rows_of)),
          sprintf("%s: the row strips end with %s, not the rows' values %s", f$name,
                  paste(last, collapse = " | "), paste(rows_of, collapse = ", ")))
    # as drawn: every panel at least 1 in wide, and every strip's text within the figure's width
    on_device(f$plot, NSM_WIDTH, NSM_HEIGHT, function(g) {
        w <- column_widths(g, NSM_WIDTH)
        edge <- cumsum(w)
        pw <- vapply(which(grepl("^panel", g$layout$name)), function(k)
            sum(w[g$layout$l[k]:g$layout$r[k]]), 0)
        check(length(pw) == nrow(lay) && min(pw) >= 1,
              sprintf("%s: panels %s in wide (the slide %.2f in; columns %.2f in in all)", f$name,
                      paste(sprintf("%.2f", utils::head(pw, 3)), collapse = ", "), NSM_WIDTH, sum(w)))
        el <- calc_element("strip.text.y.right", theme_get() + f$plot$theme)
        gp <- grid::gpar(fontsize = el$size, fontface = el$face, fontfamily = el$family)
        for (k in which(grepl("^strip-r", g$layout$name))) {
            from <- edge[g$layout$l[k]] - w[g$layout$l[k]]
            for (lab in unique(as.character(lay$row))) {
                tw <- max(vapply(strsplit(lab, "\n")[[1]], function(line)
                    grid::convertWidth(grid::grobWidth(grid::textGrob(line, gp = gp)), "in", TRUE), 0))
                check(from >= 0 && from + tw <= NSM_WIDTH + 0.01,
                      sprintf("%s: the row strip '%s' spans %.2f to %.2f in, outside the figure's 0 to %.2f",
                              f$name, flat(lab), from, from + tw, NSM_WIDTH))
            }
            break   # the strips of a column share its position and width
        }
    })
}

# ---- LHS of the baseline's 46 rates on 60 points: each panel its outcome's 12 largest |SRRC|, --
# its fit the adjusted R^2, and the subtitle's warning of many regressors for few points

s <- sweep_of(dirs$base_rates)
swept <- sweep_design_columns(s)
swept <- swept[vapply(swept, function(c) length(unique(s[[c]])) > 1, TRUE)]
at <- s[s$horizon_years == max(s$horizon_years), ]
n <- length(unique(at$point))
pn <- length(swept)
rk <- figures_in(dirs$base_rates)
rk <- rk[startsWith(vapply(rk, function(f) f$name, ""), "sweep_ranking")]
check(length(rk) >= 2, sprintf("base rates: %d ranking pages", length(rk)))
label_of <- stats::setNames(flat(sweep_rank_label(sweep_param_labels(
    suppressMessages(nsm_context(dirs$base_rates)), swept))), swept)
outcomes <- unique(at$name)
seen <- character(0)
for (f in rk) {
    b <- ggplot_build(f$plot)
    lay <- b$layout$layout
    titles <- panel_titles(b)
    sub <- flat(b$plot$labels$subtitle)
    check(grepl(sprintf("Each panel: the 12 of %d regressors with the largest |coefficient| for its outcome (%d left out).",
                        pn, pn - 12), sub, fixed = TRUE),
          sprintf("%s: the subtitle does not say 12 of %d regressors are shown: %s", f$name, pn, sub))
    check(grepl(sprintf("Caution: %d regressors on %d points", pn, n), sub, fixed = TRUE),
          sprintf("%s: no warning of %d regressors on %d points: %s", f$name, pn, n, sub))
    for (i in seq_len(nrow(lay))) {
        if (grepl("(events)", titles[i], fixed = TRUE)) next   # outcomes are checked here
        o <- outcomes[vapply(outcomes, function(x) startsWith(flat(titles[i]), flat(nsm_label(x))), TRUE)]
        o <- o[which.max(nchar(o))]
        if (!length(o)) { check(FALSE, paste(f$name, ": no outcome for the panel", flat(titles[i]))); next }
        seen <- c(seen, o)
        so <- at[at$name == o, ]
        so <- so[order(so$point), ]
        want <- srrc_here(so$value, so[, swept])
        r2 <- {
            z <- function(v) (rank(v) - mean(rank(v))) / stats::sd(rank(v))
            M <- vapply(so[, swept], z, numeric(nrow(so)))
            1 - sum(stats::lm.fit(cbind(1, M), z(so$value))$residuals^2) / sum(z(so$value)^2)
        }
        adj <- 1 - (1 - r2) * (n - 1) / (n - pn - 1)
        check(grepl(sprintf("adjusted R\u00b2 = %.2f (R\u00b2 %.2f)", adj, r2), flat(titles[i]), fixed = TRUE),
              sprintf("%s: %s: the title '%s' does not give adjusted R\u00b2 %.2f (R\u00b2 %.2f)", f$name, o,
                      flat(titles[i]), adj, r2))
        top <- names(sort(abs(want), decreasing = TRUE))[1:12]
        yl <- flat(b$layout$panel_scales_y[[lay$SCALE_Y[i]]]$get_labels())
        check(length(yl) == 12 && identical(rev(yl), unname(label_of[top])),
              sprintf("%s: %s: the rows are not its 12 largest |SRRC|, largest on top", f$name, o))
        pts <- b$data[[3]][b$data[[3]]$PANEL == lay$PANEL[i], ]
        check(nrow(pts) == 12 && all(abs(pts$x[order(pts$y)] - rev(unname(want[top]))) < 1e-9),
              sprintf("%s: %s: the points are not the rank regression's coefficients", f$name, o))
    }
}
check(setequal(seen, outcomes), sprintf("base rates: %d of %d outcomes have a panel", length(unique(seen)),
                                        length(outcomes)))
check(is.na(srrc_adj_r2(0.9, 50, 49)) && abs(srrc_adj_r2(0.5, 300, 158) - (1 - 0.5 * 299 / 141)) < 1e-12,
      "srrc_adj_r2: not 1 - (1 - R2)(n - 1)/(n - p - 1), NA when p >= n - 1")

figure_test_done("sweeps")
