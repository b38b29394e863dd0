//! API errors: every failure leaves the server as `{"error": "...", "status": N}`
//! with the matching HTTP status, so scripts can branch on the code and people can
//! read the message.
//!
//! Messages are written for the caller and never carry server internals: a database
//! error is logged in full on the server and answered with a generic 500, so no file
//! path, SQL text or stack of causes leaks into a response.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to an API caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    status: u16,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// 400: the request is malformed (unknown parameter, bad date, bad number ...).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 500 for a failure the caller cannot fix. The detail goes to the server log
    /// only; the answer names nothing of the server.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        // The server log is stderr: `dyad serve` is run in a terminal or under a
        // supervisor that keeps it.
        eprintln!("dyad serve: internal error: {detail:#}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error; see the server log",
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.status.as_u16())
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: &self.message,
            status: self.status.as_u16(),
        };
        (self.status, axum::Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
