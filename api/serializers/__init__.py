"""What the API reads and writes, one module per resource.

fields.py          the Kaggle fields, generated from ml.schema, with their ranges
applications.py    /applications in and out
predict.py         /predict in and out
scores.py          a score
explanations.py    an explanation (documentation of the payload)
model_versions.py  the model card (documentation of the payload)
tokens.py          the API token
"""
