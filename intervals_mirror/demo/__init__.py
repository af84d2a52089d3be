"""A deterministic synthetic athlete, shaped like the Intervals.icu API's objects.

The fake API in the tests, the benchmarks and the offline ``demo`` command all need years of
realistic data without a network or a real account. Everything here is stdlib only and seeded,
so the same ``(years, end, seed)`` always gives the same dataset (ids, values, key order).

Objects follow ``/work/shared/intervals-api-samples.md`` and, where they differ, the shapes
confirmed from real responses (``intervals-api.md``): activities carry the full 178-key set
(nulls included) plus the custom ``BikeWeight`` field on some rides and ``SWOLF`` on swims and
their intervals (a number, or the string "Infinity"); swims have ``average_speed`` null and
their speed in ``pace``; Strava-imported activities are five-key stubs; wellness records use
camelCase keys plus custom fields by code; events carry the 60 spec keys plus ``plan_name`` and
``paired_activity_id``, and end at the midnight after their last day. CTL/ATL use the server's
exponential model (42/7 days), so wellness, the activities' ``icu_ctl``/``icu_atl`` and the
loads agree.

History runs ``years`` back from ``end`` (default today); calendar events continue
``future_days`` (default 120) ahead and wellness has 7 projected days (ctl/atl only) after
``end``. About 440 activities a year: 10 years take about 1 s and 100 MB.

Where things are, in the order ``dataset.generate`` runs them (each stage has its own stream):
``training`` (the main stream: ``life_calendar``, then per day ``plans`` -> ``activities`` ->
``activity_fields`` and ``intervals``), ``fitness``, ``wellness``, ``workouts`` (steps from
``workout_steps``; some planned bigger than done, sick days' plans missed), ``events``, then
``athlete``, ``gear`` (totalled from the activities) and ``messages`` (comments on recent
activities). ``streams`` makes an activity's per-second streams on request (from the activity
and its intervals); ``curves`` derives each activity's best-effort curves from it (no draws, so
an edited activity's curves follow). ``shapes``, ``clock`` and ``physiology`` hold what they
all share; ``edits`` changes a dataset as the server would (for the fake API); ``build`` writes
a demo store. A season starts every 1 November (SEASON_START events).
"""
