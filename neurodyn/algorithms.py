"""``bp.algorithms``: fit methods for the readout trainers (offline regressions, online RLS/LMS)."""
from neurodyn.train._regression import (ElasticNetRegression, LassoRegression, LinearRegression,
                                        LogisticRegression, PolynomialRegression,
                                        PolynomialRidgeRegression, polynomial_features)
from neurodyn.train.solvers import (LMS, RLS, OfflineAlgorithm, OnlineAlgorithm, RidgeRegression,
                                    RidgeState, lms_update, ridge_accumulate, ridge_regression,
                                    ridge_solve, rls_init, rls_update)

__all__ = ["OfflineAlgorithm", "OnlineAlgorithm", "RidgeRegression", "LinearRegression",
           "LassoRegression", "LogisticRegression", "PolynomialRegression",
           "PolynomialRidgeRegression", "ElasticNetRegression", "RLS", "LMS", "polynomial_features",
           "RidgeState", "ridge_regression", "ridge_accumulate", "ridge_solve", "rls_init",
           "rls_update", "lms_update"]
