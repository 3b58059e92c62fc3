//! Checkpoints in the safetensors format (an 8-byte little-endian header length, a JSON header of
//! dtype, shape and byte offsets per tensor plus `__metadata__`, then the little-endian data).
//! Files are read and validated by Hugging Face's `safetensors` crate. They are written here, in
//! about forty lines: the crate's writer (0.8) serialises `__metadata__` from a `std` `HashMap`,
//! so its key order (and the file's bytes) changes from one process to the next (four metadata
//! keys came out in four orders in five runs), which would break "same config, same bits".
//!
//! - [`encode`] / [`decode_into`]: every state tensor under alphaseq's names (`0.lstm.w_ih`, ...),
//!   with string metadata (the model description goes there as JSON).
//! - [`encode_torch`]: the same weights under PyTorch's names for a `nn.ModuleList` of
//!   `nn.LSTM`/`nn.GRU`/`nn.RNN`/`nn.Linear`/`nn.BatchNorm1d` (`layers.<k>.weight_ih_l0`, ...; gate
//!   orders are already PyTorch's; a single LSTM/RNN bias becomes `bias_ih_l0` with a zero
//!   `bias_hh_l0`). The names come from each layer's [`crate::layer::Layer::tensors`].
//!   docs/checkpoints.md has the Python that loads it; a test checks its outputs.
//!
//! Libraries return bytes; the caller writes them (atomically).

use std::collections::BTreeMap;

use safetensors::{Dtype, SafeTensorError, SafeTensors};
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::layer::Companion;
use crate::model::Sequential;

/// One tensor to write: name, shape, dtype and little-endian bytes.
struct Raw {
    name: String,
    shape: Vec<usize>,
    dtype: &'static str,
    bytes: Vec<u8>,
}

fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn serialize(tensors: Vec<Raw>, metadata: &BTreeMap<String, String>) -> Vec<u8> {
    let mut header = Map::new();
    let mut offset = 0usize;
    for t in &tensors {
        header.insert(t.name.clone(), json!({ "dtype": t.dtype, "shape": t.shape, "data_offsets": [offset, offset + t.bytes.len()] }));
        offset += t.bytes.len();
    }
    if !metadata.is_empty() {
        header.insert("__metadata__".into(), json!(metadata));
    }
    let mut text = Value::Object(header).to_string().into_bytes();
    while !text.len().is_multiple_of(8) {
        text.push(b' ');
    }
    let mut out = Vec::with_capacity(8 + text.len() + offset);
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(&text);
    for t in tensors {
        out.extend_from_slice(&t.bytes);
    }
    out
}

/// A parsed file: tensors by name (f32 values and shape) and the metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// name -> (shape, values); only F32 tensors are decoded (others are skipped).
    pub tensors: BTreeMap<String, (Vec<usize>, Vec<f32>)>,
    /// The `__metadata__` strings.
    pub metadata: BTreeMap<String, String>,
}

/// Parses and validates safetensors bytes (with the `safetensors` crate).
///
/// # Errors
/// [`Error::Checkpoint`] for a truncated file, a bad header or offsets outside the data.
pub fn decode(bytes: &[u8]) -> Result<Decoded> {
    let (_, header) = SafeTensors::read_metadata(bytes).map_err(explain)?;
    let file = SafeTensors::deserialize(bytes).map_err(explain)?;
    let mut out = Decoded { tensors: BTreeMap::new(), metadata: BTreeMap::new() };
    if let Some(metadata) = header.metadata() {
        out.metadata = metadata.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    }
    for (name, view) in file.tensors() {
        if view.dtype() != Dtype::F32 {
            continue;
        }
        let values = view
            .data()
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        out.tensors.insert(name, (view.shape().to_vec(), values));
    }
    Ok(out)
}

/// The crate's error in words a user can act on.
fn explain(error: SafeTensorError) -> Error {
    Error::Checkpoint(match error {
        SafeTensorError::HeaderTooSmall => "file shorter than its 8-byte header length".into(),
        SafeTensorError::InvalidHeaderLength => "header longer than the file".into(),
        other => format!("not a valid safetensors file: {other}"),
    })
}

/// Every state tensor of `model` under alphaseq's names, the model description and `metadata`.
pub fn encode(model: &mut Sequential<f32>, metadata: &BTreeMap<String, String>) -> Vec<u8> {
    let mut meta = metadata.clone();
    meta.insert("alphaseq.model".into(), serde_json::to_string(model.spec()).unwrap_or_default());
    meta.insert("format".into(), "alphaseq-nn 1".into());
    let tensors = model
        .state_mut()
        .into_iter()
        .map(|t| Raw { name: t.name, shape: t.shape, dtype: "F32", bytes: f32_bytes(t.values) })
        .collect();
    serialize(tensors, &meta)
}

/// Loads a checkpoint made by [`encode`] into `model` (built from the same description).
///
/// # Errors
/// [`Error::Checkpoint`] naming the first tensor that is missing or has another shape.
pub fn decode_into(model: &mut Sequential<f32>, bytes: &[u8]) -> Result<BTreeMap<String, String>> {
    let decoded = decode(bytes)?;
    for t in model.state_mut() {
        let (shape, values) = decoded.tensors.get(&t.name).ok_or_else(|| {
            Error::Checkpoint(format!("tensor {} is not in the checkpoint", t.name))
        })?;
        if *shape != t.shape {
            return Err(Error::Checkpoint(format!(
                "tensor {}: shape {shape:?} in the checkpoint, {:?} in the model",
                t.name, t.shape
            )));
        }
        t.values.copy_from_slice(values);
    }
    Ok(decoded.metadata)
}

/// The weights under PyTorch's names (see the module doc), with the model description as metadata.
pub fn encode_torch(model: &mut Sequential<f32>) -> Vec<u8> {
    let mut tensors = Vec::new();
    for t in model.state_mut() {
        let shape = t.shape.clone();
        let module = t.torch_module().to_string();
        let module = |c: &str| format!("{module}.{c}");
        let name = t.torch;
        tensors.push(Raw { name, shape: shape.clone(), dtype: "F32", bytes: f32_bytes(t.values) });
        match t.companion {
            Some(Companion::BatchCount(c)) => tensors.push(Raw {
                name: module(c),
                shape: vec![],
                dtype: "I64",
                bytes: 0i64.to_le_bytes().to_vec(),
            }),
            Some(Companion::ZeroBias(c)) => tensors.push(Raw {
                name: module(c),
                shape: shape.clone(),
                dtype: "F32",
                bytes: vec![0; 4 * shape.iter().product::<usize>()],
            }),
            None => {}
        }
    }
    let mut meta = BTreeMap::new();
    meta.insert(
        "alphaseq.model".to_string(),
        serde_json::to_string(model.spec()).unwrap_or_default(),
    );
    serialize(tensors, &meta)
}

/// Loads weights saved under PyTorch's names (by [`encode_torch`], or from a PyTorch model with
/// the same layers: its `state_dict` saved with `safetensors.torch.save_file`). Single-bias layers
/// (LSTM, RNN) take `bias_ih_l0 + bias_hh_l0`.
///
/// # Errors
/// [`Error::Checkpoint`] naming the first missing tensor or shape mismatch.
pub fn decode_torch_into(model: &mut Sequential<f32>, bytes: &[u8]) -> Result<()> {
    let decoded = decode(bytes)?;
    let get = |name: &str| {
        decoded
            .tensors
            .get(name)
            .ok_or_else(|| Error::Checkpoint(format!("tensor {name} is not in the file")))
    };
    for t in model.state_mut() {
        let (shape, values) = get(&t.torch)?;
        if *shape != t.shape {
            return Err(Error::Checkpoint(format!(
                "tensor {}: shape {shape:?} in the file, {:?} in the model",
                t.torch, t.shape
            )));
        }
        t.values.copy_from_slice(values);
        if let Some(Companion::ZeroBias(c)) = t.companion {
            let (_, extra) = get(&format!("{}.{c}", t.torch_module()))?;
            t.values.iter_mut().zip(extra).for_each(|(v, e)| *v += *e);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Activation, InitScheme, LayerSpec, ModelSpec};

    fn model(seed: u64) -> Sequential<f32> {
        let layers = vec![
            LayerSpec::lstm(4, true, Activation::Tanh),
            LayerSpec::gru(3, false, Activation::Tanh),
            LayerSpec::batch_norm(0.9, 1e-3),
            LayerSpec::dense(1, Activation::Linear),
        ];
        Sequential::new(
            &ModelSpec { features: 2, layers, ..ModelSpec::default() },
            InitScheme::Torch,
            seed,
        )
        .unwrap()
    }

    #[test]
    fn a_checkpoint_restores_every_tensor_bit_for_bit() {
        let mut a = model(1);
        let x: Vec<f32> = (0..2 * 5 * 3).map(|i| (i as f32 * 0.37).sin()).collect();
        a.forward(&x, 5, 3, true).unwrap(); // moves the batch-norm statistics
        let bytes = encode(&mut a, &BTreeMap::from([("note".to_string(), "test".to_string())]));
        let mut b = model(2);
        let meta = decode_into(&mut b, &bytes).unwrap();
        assert_eq!(meta["note"], "test");
        assert!(meta["alphaseq.model"].contains("\"lstm\""));
        let bits = |m: &mut Sequential<f32>| {
            m.state_mut()
                .iter()
                .flat_map(|t| t.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>())
                .collect::<Vec<u32>>()
        };
        assert!(bits(&mut a) == bits(&mut b));
        assert_eq!(a.forward(&x, 5, 3, false).unwrap(), b.forward(&x, 5, 3, false).unwrap());
    }

    #[test]
    fn corrupt_or_mismatched_files_are_named_errors() {
        let mut a = model(1);
        let bytes = encode(&mut a, &BTreeMap::new());
        assert!(decode(&bytes[..5]).unwrap_err().to_string().contains("shorter"));
        let truncated = decode(&bytes[..bytes.len() - 4]).unwrap_err().to_string();
        assert!(truncated.contains("not a valid safetensors file"), "{truncated}");
        let other = Sequential::<f32>::new(
            &ModelSpec {
                features: 2,
                layers: vec![LayerSpec::lstm(5, false, Activation::Tanh)],
                ..ModelSpec::default()
            },
            InitScheme::Keras,
            0,
        );
        let err = decode_into(&mut other.unwrap(), &bytes).unwrap_err().to_string();
        assert!(err.contains("0.lstm.w_ih") && err.contains("shape"), "{err}");
    }

    #[test]
    fn torch_names_follow_pytorch() {
        let mut a = model(1);
        let names: Vec<(String, String)> =
            a.state_mut().into_iter().map(|t| (t.name, t.torch)).collect();
        let torch = |name: &str| names.iter().find(|(n, _)| n == name).map(|(_, t)| t.as_str());
        assert_eq!(torch("0.lstm.bias"), Some("layers.0.bias_ih_l0"));
        assert_eq!(torch("1.gru.b_hh"), Some("layers.1.bias_hh_l0"));
        assert_eq!(torch("2.batch_norm.moving_var"), Some("layers.2.running_var"));
        assert_eq!(torch("3.dense.w"), Some("layers.3.weight"));
        let decoded = decode(&encode_torch(&mut a)).unwrap();
        assert!(
            decoded.tensors.contains_key("layers.1.bias_hh_l0")
                && decoded.tensors.contains_key("layers.0.bias_hh_l0")
        );
        assert!(decoded.tensors["layers.0.bias_hh_l0"].1.iter().all(|v| *v == 0.0));
    }
}
