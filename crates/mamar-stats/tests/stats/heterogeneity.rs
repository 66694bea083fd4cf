//! The heterogeneity models beside the R package Rcapture 1.4.4 (`closedp.t`) on the Kosovo
//! table (`scripts/rcapture_reference.R`).

use mamar_stats::heterogeneity::{HeterogeneityError, fit_all};

use crate::fixtures::table;

const KOSOVO: &str = include_str!("../fixtures/kosovo.csv");

#[test]
fn the_kosovo_fits_match_rcapture() {
    // Rcapture: abundance, stderr, deviance, df, AIC, BIC.
    let rcapture = [
        ("M0", 7608.368, 136.61751, 1104.0020, 13, 1209.4260, 1222.2047),
        ("Mt", 7394.587, 129.62539, 245.9387, 10, 357.3627, 389.3095),
        (
            "Mh Poisson2",
            9402.952,
            310.85327,
            1019.5174,
            12,
            1126.9414,
            1146.1095,
        ),
        (
            "Mh Darroch",
            12448.385,
            777.96675,
            1001.9252,
            12,
            1109.3492,
            1128.5173,
        ),
        (
            "Mh Gamma3.5",
            17102.639,
            1707.27074,
            996.5302,
            12,
            1103.9542,
            1123.1222,
        ),
        (
            "Mth Poisson2",
            9327.761,
            306.26613,
            139.1876,
            9,
            252.6116,
            290.9478,
        ),
        (
            "Mth Darroch",
            12797.343,
            814.83422,
            119.4484,
            9,
            232.8724,
            271.2086,
        ),
        (
            "Mth Gamma3.5",
            18387.146,
            1892.87649,
            113.7837,
            9,
            227.2077,
            265.5438,
        ),
    ];
    let fits = fit_all(&table(KOSOVO)).unwrap();
    assert_eq!(fits.len(), rcapture.len());
    for (fit, (name, total, stderr, deviance, df, aic, bic)) in fits.iter().zip(rcapture) {
        assert_eq!(fit.name, name);
        assert!((fit.total - total).abs() < 1e-3, "{name}: {}", fit.total);
        // Rcapture's covariance comes from glm's last iteration: agreement to 1e-5.
        assert!(
            (fit.stderr - stderr).abs() / stderr < 1e-5,
            "{name}: {}",
            fit.stderr
        );
        assert!((fit.deviance - deviance).abs() < 1e-3, "{name}: {}", fit.deviance);
        assert_eq!(fit.df, df);
        assert!(
            (fit.aic - aic).abs() < 1e-3 && (fit.bic - bic).abs() < 1e-3,
            "{name}"
        );
    }
}

#[test]
fn two_lists_are_too_few() {
    let two = table("A,B,count\n1,0,40\n0,1,30\n1,1,20\n");
    assert_eq!(fit_all(&two), Err(HeterogeneityError::TooFewLists(2)));
}
