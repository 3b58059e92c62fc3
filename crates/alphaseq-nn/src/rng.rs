//! The seeded generator the engine uses: alphaseq's own (one implementation for the workspace).

pub use alphaseq::rng::Rng;
