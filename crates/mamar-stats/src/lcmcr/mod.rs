//! The LCMCR latent-class model (Manrique-Vallier, 2016).
