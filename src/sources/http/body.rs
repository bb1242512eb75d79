//! Answer bodies: read as a stream under a cap, and the message of an error body.

/// Why a body could not be read whole.
pub(super) enum BodyError {
    /// Past the cap, counted after decompression.
    TooLarge,
    Read(reqwest::Error),
}

/// Reads a body chunk by chunk (decompressed as it comes) and stops as soon as it grows past
/// `limit` bytes, so a small gzip that expands to gigabytes never fills the memory.
pub(super) async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, BodyError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        if body.len().saturating_add(chunk.len()) > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The `message` of a JSON error body (`{"message": …}`), else the start of the body.
pub(super) fn error_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        message: String,
    }
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(b) => b.message,
        Err(_) => String::from_utf8_lossy(body).chars().take(120).collect(),
    }
}
