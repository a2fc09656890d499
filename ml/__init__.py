"""Credit-risk model: datasets, feature engineering, training, prediction.

Plain Python (pandas, LightGBM, scikit-learn, shap). Django code calls this
package; nothing here imports Django.
"""

import os

# LightGBM and scikit-learn use OpenMP, whose threads spin while waiting for
# work by default. On a 2-core machine shared with Postgres, Celery and the
# web workers that spinning made training 9x slower than one thread (measured:
# 50 rounds on 3,000 rows, 21.6 s vs 2.4 s); passive waiting removes the
# penalty (4.1 s). It must be set before the OpenMP runtime loads, i.e. before
# lightgbm is imported, hence here; an explicit setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
