"""The advisor dashboard's views, one module per page or section (URLs: dashboard/urls.py).

* portfolio.py     GET  /clients/                              the portfolio
* client.py        GET  /clients/<id>/                         a client's page
* scoring.py       POST /clients/<id>/score, GET .../score/status   "Score now" and its progress
* what_if.py       POST /clients/<id>/what-if, GET .../counterfactual
* explanation.py   GET  /clients/<id>/explanation, .../charts/distribution, .../charts/bivariate
* decision.py      POST /clients/<id>/decision                 the final decision
* reviews.py       GET  /reviews/                              the review queue
                   GET  /reviews/<id>/, POST .../take-up, .../correct, .../answer   one request

Who may use each view is in its docstring ("Who: ...") and its decorators;
the client is always found through `dashboard.access.get_application_for_user`.
htmx requests get the fragment they swap; the same URLs work without
JavaScript (full pages or a redirect back to the client).
"""
