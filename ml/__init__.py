"""Credit-risk model: datasets, feature engineering, training, prediction.

Plain Python (pandas, LightGBM, scikit-learn, shap). Django code calls this
package; nothing here imports Django.
"""
