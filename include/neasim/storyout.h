/*
** storyout.h: routes.csv and signposts.csv, the tables of `run --routes` and `run --signposts`
** (schemas in README.md), from a finished story accumulator (story.h; statistics: storystats.h).
*/
#ifndef NEASIM_STORYOUT_H
#define NEASIM_STORYOUT_H

#include <stddef.h>

#include "neasim/model.h"
#include "neasim/status.h"
#include "neasim/story.h"

/* A route as text: "factor=level -> factor=level", "... -> " first when truncated, "(none)" for
** an onset with no step of the route's factors. */
void nsm_route_text(const nsm_model *m, const nsm_route *r, char *out, size_t n);

/* An indicator as text: "factor=level" or "event:name". */
void nsm_indicator_text(const nsm_model *m, int j, char *out, size_t n);

/* dir/routes.csv (when routes were recorded) and dir/signposts.csv (when signposts were). */
nsm_status nsm_story_write(const char *dir, const nsm_model *m, const nsm_story *a, int bom,
                           nsm_diag *diag);

#endif
