//! SDK errors mapped to [`CloudError`]s and [`ReadGap`]s.

use std::error::Error as StdError;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::cloud::{CloudError, CloudErrorKind};
use crate::model::ReadGap;

/// Maps a failed SDK call to a [`CloudError`] naming the operation.
pub(crate) fn cloud_error<E, R>(operation: &str, err: &SdkError<E, R>) -> CloudError
where
    E: ProvideErrorMetadata + StdError + 'static,
    R: std::fmt::Debug + 'static,
{
    let (kind, message) = match err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            let code = e.code().unwrap_or("unknown error");
            let message = match e.message() {
                Some(m) if !m.is_empty() => format!("{code}: {m}"),
                _ => code.to_string(),
            };
            (kind_of_code(code), message)
        }
        SdkError::TimeoutError(_) => (CloudErrorKind::Unreachable, "the request timed out".into()),
        SdkError::DispatchFailure(dispatch) => {
            let chain = chain_text(err);
            let kind = if dispatch.is_io() || dispatch.is_timeout() {
                CloudErrorKind::Unreachable
            } else if mentions_credentials(&chain) {
                CloudErrorKind::Credentials
            } else {
                CloudErrorKind::Unreachable
            };
            (kind, chain)
        }
        SdkError::ConstructionFailure(_) => {
            let chain = chain_text(err);
            let kind = if mentions_credentials(&chain) {
                CloudErrorKind::Credentials
            } else {
                CloudErrorKind::Config
            };
            (kind, chain)
        }
        SdkError::ResponseError(_) => (
            CloudErrorKind::Service,
            format!("unexpected response: {}", chain_text(err)),
        ),
        _ => (CloudErrorKind::Service, chain_text(err)),
    };
    tracing::debug!(operation, error = %chain_text(err), "AWS call failed");
    let message = if kind == CloudErrorKind::Credentials && message.contains("no credentials found")
    {
        "no AWS credentials found (tried the environment, the profile, web identity, the container and instance metadata)".to_string()
    } else {
        message
    };
    CloudError::new(kind, operation, message)
}

/// The kind of failure an AWS error code stands for.
pub(crate) fn kind_of_code(code: &str) -> CloudErrorKind {
    match code {
        "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "ExpiredToken"
        | "ExpiredTokenException"
        | "UnrecognizedClientException"
        | "AuthFailure"
        | "InvalidAccessKeyId"
        | "MissingAuthenticationToken"
        | "IncompleteSignature" => CloudErrorKind::Credentials,
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "UnauthorizedException" => CloudErrorKind::AccessDenied,
        "Throttling"
        | "ThrottlingException"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "RequestThrottled"
        | "LimitExceededException" => CloudErrorKind::Throttled,
        "NotFoundException"
        | "NoSuchEntity"
        | "BadRequestException"
        | "ValidationError"
        | "ValidationException"
        | "MissingParameter"
        | "MalformedPolicyDocument"
        | "MalformedPolicy" => CloudErrorKind::InvalidInput,
        c if c.starts_with("Invalid") || c.ends_with(".NotFound") || c.ends_with(".Malformed") => {
            CloudErrorKind::InvalidInput
        }
        _ => CloudErrorKind::Service,
    }
}

/// The error and its sources, joined: the SDK puts the useful part (connection refused, no
/// credentials in the chain) in a source several levels down.
fn chain_text(err: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn mentions_credentials(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("credential") || lower.contains("identity") || lower.contains("sso")
}

/// A [`ReadGap`] for a call that failed on `resource`.
pub(crate) fn gap(resource: impl Into<String>, err: &CloudError) -> ReadGap {
    ReadGap {
        resource: resource.into(),
        operation: err.operation.clone(),
        message: format!("{}; {}", err.message, err.hint()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds() {
        assert_eq!(
            kind_of_code("AccessDeniedException"),
            CloudErrorKind::AccessDenied
        );
        assert_eq!(
            kind_of_code("UnauthorizedOperation"),
            CloudErrorKind::AccessDenied
        );
        assert_eq!(
            kind_of_code("TooManyRequestsException"),
            CloudErrorKind::Throttled
        );
        assert_eq!(
            kind_of_code("RequestLimitExceeded"),
            CloudErrorKind::Throttled
        );
        assert_eq!(
            kind_of_code("InvalidClientTokenId"),
            CloudErrorKind::Credentials
        );
        assert_eq!(
            kind_of_code("InvalidGroup.NotFound"),
            CloudErrorKind::InvalidInput
        );
        assert_eq!(
            kind_of_code("NotFoundException"),
            CloudErrorKind::InvalidInput
        );
        assert_eq!(
            kind_of_code("MalformedPolicyDocument"),
            CloudErrorKind::InvalidInput
        );
        assert_eq!(kind_of_code("InternalFailure"), CloudErrorKind::Service);
    }

    #[test]
    fn gaps_carry_the_operation_and_a_hint() {
        let err = CloudError::new(
            CloudErrorKind::AccessDenied,
            "GetResources",
            "AccessDeniedException: no",
        );
        let gap = gap("a1b2c3d4e5", &err);
        assert_eq!(gap.resource, "a1b2c3d4e5");
        assert_eq!(gap.operation, "GetResources");
        assert!(
            gap.message.starts_with("AccessDeniedException: no; grant"),
            "{}",
            gap.message
        );
    }
}
