//! alphaseq-nn: the recurrent-network engine (RNN, GRU, LSTM layers with hand-written backward
//! passes on fused CPU kernels). It will implement `alphaseq::forecast::Forecaster` and never see
//! portfolios or reports.
//!
//! Nothing is implemented yet: the engine is the subject of its own issue, and until then
//! `alphaseq run` offers only the linear baseline (`model.kind = "linear"`).
