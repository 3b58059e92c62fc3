//! `alphaseq.nn`'s engine side: a network of the same layer descriptions as `[[model.layers]]`,
//! trained by the engine's own loop ([`alphaseq_nn::fit`]) on NumPy arrays, with the GIL
//! released. Inputs are `(samples, steps, features)` float32 sequences, with an optional id per
//! sample for each embedding and `(samples, static)` static inputs; targets are `(samples,
//! outputs)`, or `(samples, steps, outputs)` for a sequence output.

use std::collections::BTreeMap;

use alphaseq_nn::checkpoint;
use alphaseq_nn::{EpochRecord, InitScheme, ModelSpec, SampleSource, Sequential, Shape};
use numpy::ndarray::{Array1, Array3};
use numpy::ndarray::{Array2, ArrayView2, ArrayView3};
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyReadonlyArray3};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::usage;

/// Metadata key of the initialisation scheme in a saved network.
const INIT_KEY: &str = "alphaseq.init";

/// Samples from NumPy arrays, gathered feature-major as the engine's loop wants them.
struct Arrays<'a> {
    x: ArrayView3<'a, f32>,
    /// `[sample][output]` or `[sample][step * outputs]` (a sequence target, step-major).
    y: Option<ArrayView2<'a, f32>>,
    /// Per embedding, one id per sample.
    ids: Vec<Vec<u32>>,
    statics: Option<ArrayView2<'a, f32>>,
    /// Outputs per step of a sequence target (0: one row per sample).
    per_step: usize,
    /// Each sample's date (an ordinal), for batches by date.
    dates: Option<Vec<u32>>,
}

impl SampleSource for Arrays<'_> {
    fn len(&self) -> usize {
        self.x.shape()[0]
    }

    fn steps(&self) -> usize {
        self.x.shape()[1]
    }

    fn date(&self, i: usize) -> u32 {
        self.dates.as_ref().map_or(0, |d| d[i])
    }

    fn gather(&self, idx: &[usize], x: &mut Vec<f32>, y: &mut Vec<f32>) {
        let (b, steps, features) = (idx.len(), self.steps(), self.x.shape()[2]);
        x.clear();
        x.resize(features * steps * b, 0.0);
        for (col, &i) in idx.iter().enumerate() {
            for t in 0..steps {
                for f in 0..features {
                    x[(f * steps + t) * b + col] = self.x[[i, t, f]];
                }
            }
        }
        y.clear();
        let Some(targets) = &self.y else { return };
        let width = targets.shape()[1];
        y.resize(width * b, 0.0);
        if self.per_step == 0 {
            for (col, &i) in idx.iter().enumerate() {
                for c in 0..width {
                    y[c * b + col] = targets[[i, c]];
                }
            }
        } else {
            // [output][step][sample]
            let outputs = self.per_step;
            for (col, &i) in idx.iter().enumerate() {
                for t in 0..steps {
                    for c in 0..outputs {
                        y[(c * steps + t) * b + col] = targets[[i, t * outputs + c]];
                    }
                }
            }
        }
    }

    fn gather_side(&self, idx: &[usize], categorical: &mut Vec<Vec<u32>>, statics: &mut Vec<f32>) {
        categorical.clear();
        categorical.extend(self.ids.iter().map(|ids| idx.iter().map(|&i| ids[i]).collect()));
        statics.clear();
        if let Some(s) = &self.statics {
            let (b, width) = (idx.len(), s.shape()[1]);
            statics.resize(width * b, 0.0);
            for (col, &i) in idx.iter().enumerate() {
                for f in 0..width {
                    statics[f * b + col] = s[[i, f]];
                }
            }
        }
    }

    fn targets(&self) -> Vec<f32> {
        self.y.as_ref().map(|y| y.iter().copied().collect()).unwrap_or_default()
    }
}

/// A network: its description, the initialisation scheme, and once built (at the first fit or
/// a load) its weights.
#[pyclass(module = "alphaseq._core")]
pub struct Network {
    spec: ModelSpec,
    init: InitScheme,
    model: Option<Sequential<f32>>,
}

fn engine_error(e: alphaseq_nn::Error) -> PyErr {
    Python::attach(|py| crate::errors::raise(py, alphaseq::Error::Model(Box::new(e))))
}

impl Network {
    fn built(&mut self, seed: u64) -> PyResult<&mut Sequential<f32>> {
        if self.model.is_none() {
            self.model = Some(Sequential::new(&self.spec, self.init, seed).map_err(engine_error)?);
        }
        self.model.as_mut().ok_or_else(|| usage("no model"))
    }

    /// The inputs as a sample source, checked against the description.
    fn source<'a>(
        &self,
        x: ArrayView3<'a, f32>,
        y: Option<ArrayView2<'a, f32>>,
        ids: Option<ArrayView2<'a, i64>>,
        statics: Option<ArrayView2<'a, f32>>,
        per_step: usize,
        dates: Option<&[i64]>,
    ) -> PyResult<Arrays<'a>> {
        let n = x.shape()[0];
        let dates = match dates {
            Some(d) if d.len() != n => return Err(usage("dates: one per sample")),
            Some(d) => Some(
                d.iter()
                    .map(|&v| {
                        u32::try_from(v)
                            .map_err(|_| usage(format!("date {v} is not an ordinal from 0")))
                    })
                    .collect::<PyResult<Vec<u32>>>()?,
            ),
            None => None,
        };
        if x.shape()[2] != self.spec.features {
            return Err(usage(format!(
                "the inputs have {} features per step; the network takes {}",
                x.shape()[2],
                self.spec.features
            )));
        }
        if y.as_ref().is_some_and(|y| y.shape()[0] != n) {
            return Err(usage("inputs and targets differ in samples"));
        }
        let embeddings = &self.spec.embeddings;
        let ids: Vec<Vec<u32>> = match ids {
            None if embeddings.is_empty() => vec![],
            None => return Err(usage("the network embeds ids: pass ids=")),
            Some(ids) => {
                if ids.shape() != [n, embeddings.len()] {
                    return Err(usage("ids: one column per embedding, one row per sample"));
                }
                (0..embeddings.len())
                    .map(|e| {
                        ids.column(e)
                            .iter()
                            .map(|&v| match u32::try_from(v) {
                                Ok(id) if (id as usize) < embeddings[e].vocab => Ok(id),
                                _ => Err(usage(format!(
                                    "id {v} of embedding {e} is outside 0..{}",
                                    embeddings[e].vocab
                                ))),
                            })
                            .collect()
                    })
                    .collect::<PyResult<_>>()?
            }
        };
        match (&statics, self.spec.static_features) {
            (None, 0) => {}
            (Some(s), w) if s.shape() == [n, w] => {}
            (_, w) => return Err(usage(format!("statics: {w} per sample, one row per sample"))),
        }
        Ok(Arrays { x, y, ids, statics, per_step, dates })
    }
}

#[pymethods]
impl Network {
    /// A network from its description (JSON of a `ModelSpec`) and initialisation (`keras` or
    /// `torch`).
    #[new]
    fn new(spec: &str, init: &str) -> PyResult<Network> {
        let spec: ModelSpec = serde_json::from_str(spec).map_err(usage)?;
        let init: InitScheme = serde_json::from_value(serde_json::Value::String(init.into()))
            .map_err(|e| usage(format!("init {init:?}: {e}")))?;
        // built once to check the description; the weights come at the first fit
        Sequential::<f32>::new(&spec, init, 0).map_err(engine_error)?;
        Ok(Network { spec, init, model: None })
    }

    /// The description as JSON.
    fn spec(&self) -> PyResult<String> {
        serde_json::to_string(&self.spec).map_err(usage)
    }

    /// Keras-style summary rows (name, output shape, parameters) for sequences of `steps`.
    fn summary(&self, steps: usize) -> PyResult<String> {
        let model = Sequential::<f32>::new(&self.spec, self.init, 0).map_err(engine_error)?;
        serde_json::to_string(&model.summary(steps)).map_err(usage)
    }

    /// Outputs per sample and whether they are per step (`(width, sequence)`).
    fn output(&self) -> PyResult<(usize, bool)> {
        let model = Sequential::<f32>::new(&self.spec, self.init, 0).map_err(engine_error)?;
        Ok(match model.output_shape() {
            Shape::Rows(w) => (w, false),
            Shape::Sequence(w) => (w, true),
        })
    }

    /// Whether the weights exist (after a fit or a load).
    fn is_built(&self) -> bool {
        self.model.is_some()
    }

    /// Trains on `x`, `y` (validating on `valid` when given) with `training` (JSON of the
    /// `[training]` keys); `progress` sees each epoch's record as a dict. Returns the history as
    /// JSON. The first fit builds the weights from `training.seed`.
    #[pyo3(signature = (x, y, ids, statics, dates, valid, training, progress=None))]
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn fit(
        &mut self,
        py: Python<'_>,
        x: PyReadonlyArray3<'_, f32>,
        y: PyReadonlyArray2<'_, f32>,
        ids: Option<PyReadonlyArray2<'_, i64>>,
        statics: Option<PyReadonlyArray2<'_, f32>>,
        dates: Option<PyReadonlyArray1<'_, i64>>,
        valid: Option<(
            PyReadonlyArray3<'_, f32>,
            PyReadonlyArray2<'_, f32>,
            Option<PyReadonlyArray2<'_, i64>>,
            Option<PyReadonlyArray2<'_, f32>>,
            Option<PyReadonlyArray1<'_, i64>>,
        )>,
        training: &str,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<String> {
        let cfg: alphaseq_nn::TrainConfig = serde_json::from_str(training).map_err(|e| {
            crate::errors::raise(py, alphaseq::Error::config("training", e.to_string()))
        })?;
        let (width, sequence) = self.output()?;
        let per_step = if sequence { width } else { 0 };
        let expected = if sequence { width * x.as_array().shape()[1] } else { width };
        if y.as_array().shape()[1] != expected {
            return Err(usage(format!(
                "targets: {} per sample; the network outputs {expected}",
                y.as_array().shape()[1]
            )));
        }
        let train = self.source(
            x.as_array(),
            Some(y.as_array()),
            ids.as_ref().map(|i| i.as_array()),
            statics.as_ref().map(|s| s.as_array()),
            per_step,
            dates.as_ref().map(|d| d.as_slice()).transpose()?,
        )?;
        let valid = match &valid {
            Some((vx, vy, vi, vs, vd)) => Some(self.source(
                vx.as_array(),
                Some(vy.as_array()),
                vi.as_ref().map(|i| i.as_array()),
                vs.as_ref().map(|s| s.as_array()),
                per_step,
                vd.as_ref().map(|d| d.as_slice()).transpose()?,
            )?),
            None => None,
        };
        let model = self.built(cfg.seed)?;
        let history = py.detach(|| {
            let mut on_epoch = |record: &EpochRecord| {
                if let Some(callback) = &progress {
                    Python::attach(|py| {
                        let text = serde_json::to_string(record).unwrap_or_default();
                        // a callback that raises loses its call, never the fit
                        let _ = callback.call1(py, (text,));
                    });
                }
            };
            alphaseq_nn::fit(
                model,
                &train,
                valid.as_ref().map(|v| v as &dyn SampleSource),
                &cfg,
                &mut on_epoch,
            )
        });
        let history = history.map_err(engine_error)?;
        serde_json::to_string(&history).map_err(usage)
    }

    /// Predictions for every sample (evaluation mode), `(samples, outputs)`; a sequence output
    /// predicts from its last step.
    #[pyo3(signature = (x, ids, statics, batch_size))]
    fn predict<'py>(
        &mut self,
        py: Python<'py>,
        x: PyReadonlyArray3<'py, f32>,
        ids: Option<PyReadonlyArray2<'py, i64>>,
        statics: Option<PyReadonlyArray2<'py, f32>>,
        batch_size: usize,
    ) -> PyResult<Bound<'py, PyArray2<f32>>> {
        let n = x.as_array().shape()[0];
        let data = self.source(
            x.as_array(),
            None,
            ids.as_ref().map(|i| i.as_array()),
            statics.as_ref().map(|s| s.as_array()),
            0,
            None,
        )?;
        let model = self
            .model
            .as_mut()
            .ok_or_else(|| usage("the network is not trained: fit or load it first"))?;
        let out = py.detach(|| alphaseq_nn::predict(model, &data, batch_size));
        let width = out.len() / n.max(1);
        let array = Array2::from_shape_vec((n, width), out).map_err(usage)?;
        Ok(array.into_pyarray(py))
    }

    /// The weights as `model.safetensors` bytes (the engine's names, the description and
    /// `metadata` inside), PyTorch's `model.torch.safetensors` bytes and `model.json`.
    fn save(&mut self, metadata: BTreeMap<String, String>) -> PyResult<(Vec<u8>, Vec<u8>, String)> {
        let init = serde_json::to_value(self.init).map_err(usage)?;
        let spec = serde_json::to_string_pretty(&self.spec).map_err(usage)?;
        let model = self
            .model
            .as_mut()
            .ok_or_else(|| usage("the network is not trained: nothing to save"))?;
        let mut meta = metadata;
        meta.insert(INIT_KEY.into(), init.as_str().unwrap_or("keras").to_string());
        Ok((checkpoint::encode(model, &meta), checkpoint::encode_torch(model), spec))
    }

    /// A network from `model.safetensors` bytes (this package's or a run folder's).
    #[staticmethod]
    fn load(bytes: &[u8]) -> PyResult<Network> {
        let decoded = checkpoint::decode(bytes).map_err(engine_error)?;
        let field = |k: &str| {
            decoded.metadata.get(k).ok_or_else(|| {
                usage(format!("{k} is not in the file's metadata: not an alphaseq network"))
            })
        };
        let spec: ModelSpec = serde_json::from_str(field("alphaseq.model")?).map_err(usage)?;
        let init = match decoded.metadata.get(INIT_KEY) {
            Some(name) => {
                serde_json::from_value(serde_json::Value::String(name.clone())).map_err(usage)?
            }
            None => forecaster_init(&decoded.metadata).unwrap_or_default(),
        };
        let mut model = Sequential::new(&spec, init, 0).map_err(engine_error)?;
        checkpoint::decode_into(&mut model, bytes).map_err(engine_error)?;
        Ok(Network { spec, init, model: Some(model) })
    }
}

/// The initialisation a run folder's forecaster recorded (its `alphaseq.forecaster` metadata).
fn forecaster_init(meta: &BTreeMap<String, String>) -> Option<InitScheme> {
    let spec: alphaseq_nn::RecurrentSpec =
        serde_json::from_str(meta.get("alphaseq.forecaster")?).ok()?;
    Some(spec.init)
}

/// The first fold of an experiment as arrays (the experiment as `run` takes it): what its
/// network would train on, exactly as the engine's loop gathers it, with the network's
/// description (JSON), initialisation, training options (JSON) and, per split (`train`,
/// `valid`), `x` `(samples, steps, features)`, `y` `(samples, width)`, `ids`, `statics`,
/// `dates`. A fit of that network on them with those options gives the binary's weights.
#[pyfunction]
pub fn fold_arrays<'py>(
    py: Python<'py>,
    config: &str,
    is_json: bool,
    overrides: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let exp = crate::load_experiment(py, config, is_json, overrides)?;
    if exp.model.kind != alphaseq_nn::experiment::ModelKind::Recurrent {
        return Err(crate::errors::raise(
            py,
            alphaseq::Error::config("model.kind", "a linear model has no network to train"),
        ));
    }
    let mut capture = alphaseq_nn::Capture::new(exp.model.recurrent_spec(&exp.training));
    let spec = exp.pipeline_spec();
    let outcome = py.detach(|| {
        let panel = exp.load_panel(&alphaseq::experiment::log::RunLog::default())?;
        alphaseq::pipeline::run(&panel, &spec, &mut capture).map(|_| ())
    });
    match outcome {
        Err(alphaseq::Error::Incomplete(m)) if m == alphaseq_nn::Capture::STOPPED => {}
        Err(e) => return Err(crate::errors::raise(py, e)),
        Ok(()) => return Err(usage("the experiment fitted no model")),
    }
    let arrays = capture.arrays.ok_or_else(|| usage("no fold was fitted"))?;
    let out = PyDict::new(py);
    out.set_item("model", serde_json::to_string(&arrays.model).map_err(usage)?)?;
    out.set_item(
        "init",
        serde_json::to_value(arrays.init).map_err(usage)?.as_str().unwrap_or("keras"),
    )?;
    out.set_item("training", serde_json::to_string(&arrays.training).map_err(usage)?)?;
    for (name, a) in [("train", arrays.train), ("valid", arrays.valid)] {
        let part = PyDict::new(py);
        let (n, steps, features) = (a.samples, a.steps, a.features);
        let x = Array3::from_shape_vec((n, steps, features), a.x).map_err(usage)?;
        part.set_item("x", x.into_pyarray(py))?;
        let y = Array2::from_shape_vec((n, a.y_width), a.y).map_err(usage)?;
        part.set_item("y", y.into_pyarray(py))?;
        let statics = Array2::from_shape_vec((n, a.static_width), a.statics).map_err(usage)?;
        part.set_item("statics", statics.into_pyarray(py))?;
        let ids: Array1<i64> = a.ids.iter().map(|&i| i64::from(i)).collect();
        part.set_item("ids", ids.into_pyarray(py))?;
        let dates: Array1<i64> = a.dates.iter().map(|&d| i64::from(d)).collect();
        part.set_item("dates", dates.into_pyarray(py))?;
        out.set_item(name, part)?;
    }
    Ok(out)
}
