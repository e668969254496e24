//! SDK clients whose calls are answered by `aws-smithy-mocks` rules: no network, no moto.
//!
//! Each client is built by hand (mock HTTP client, the mock interceptor, static credentials,
//! quick retries), so the SDK crates need no `test-util` feature.
//!
//! ```ignore
//! let rules = Rules::new()
//!     .apigateway(mock!(aws_sdk_apigateway::Client::get_rest_apis).then_output(...));
//! let posture = read_posture(&rules.clients(), &Pacer::get_resources(), &NoProgress).await?;
//! ```

use std::time::Duration;

use aws_credential_types::Credentials;
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock};
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use ztharden::cloud::aws::AwsClients;
use ztharden::model::Region;

use super::{ACCOUNT, REGION};

/// Attempts per call in mocked clients (the SDK's standard retry, 1 ms initial backoff).
pub const MOCK_ATTEMPTS: u32 = 3;

/// Builds one service's client over the given rules.
macro_rules! mocked_client {
    ($sdk:ident, $rules:expr) => {{
        let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
        for rule in $rules {
            interceptor = interceptor.with_rule(rule);
        }
        let config = $sdk::Config::builder()
            .behavior_version($sdk::config::BehaviorVersion::latest())
            .region($sdk::config::Region::new(REGION))
            .credentials_provider(Credentials::new("testing", "testing", None, None, "mocks"))
            .retry_config(
                $sdk::config::retry::RetryConfig::standard()
                    .with_max_attempts(MOCK_ATTEMPTS)
                    .with_initial_backoff(Duration::from_millis(1)),
            )
            .http_client(create_mock_http_client())
            .interceptor(interceptor)
            .build();
        $sdk::Client::from_conf(config)
    }};
}

/// The mock rules of each service. `sts` answers `GetCallerIdentity` with the fixture's
/// account unless told otherwise. A call that no rule matches panics the test.
#[derive(Default)]
pub struct Rules {
    pub apigateway: Vec<Rule>,
    pub ec2: Vec<Rule>,
    pub iam: Vec<Rule>,
    pub sts: Vec<Rule>,
}

impl Rules {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn apigateway(mut self, rule: Rule) -> Self {
        self.apigateway.push(rule);
        self
    }

    pub fn ec2(mut self, rule: Rule) -> Self {
        self.ec2.push(rule);
        self
    }

    pub fn iam(mut self, rule: Rule) -> Self {
        self.iam.push(rule);
        self
    }

    pub fn sts(mut self, rule: Rule) -> Self {
        self.sts.push(rule);
        self
    }

    /// The clients, answering from these rules.
    pub fn clients(&self) -> AwsClients {
        let mut sts = self.sts.clone();
        if sts.is_empty() {
            sts.push(caller_identity(ACCOUNT));
        }
        AwsClients {
            apigateway: mocked_client!(aws_sdk_apigateway, &self.apigateway),
            ec2: mocked_client!(aws_sdk_ec2, &self.ec2),
            iam: mocked_client!(aws_sdk_iam, &self.iam),
            sts: mocked_client!(aws_sdk_sts, &sts),
            region: Region::new(REGION).unwrap(),
        }
    }
}

/// `GetCallerIdentity` answering with `account`.
pub fn caller_identity(account: &str) -> Rule {
    let account = account.to_string();
    mock!(aws_sdk_sts::Client::get_caller_identity).then_output(move || {
        aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput::builder()
            .account(account.clone())
            .arn(format!("arn:aws:iam::{account}:user/tests"))
            .build()
    })
}

/// An AWS JSON error response, as API Gateway sends it (`x-amzn-ErrorType` names the error).
pub fn json_error(status: u16, code: &str, message: &str) -> Response {
    let mut response = Response::new(
        StatusCode::try_from(status).expect("a valid status"),
        SdkBody::from(format!(r#"{{"message":"{message}"}}"#)),
    );
    response
        .headers_mut()
        .insert("x-amzn-ErrorType", code.to_string());
    response
        .headers_mut()
        .insert("content-type", "application/json");
    response
}

/// An EC2 (query protocol) error response.
pub fn ec2_error(status: u16, code: &str, message: &str) -> Response {
    let body = format!(
        "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>\
         <RequestID>mock</RequestID></Response>"
    );
    let mut response = Response::new(
        StatusCode::try_from(status).expect("a valid status"),
        SdkBody::from(body),
    );
    response.headers_mut().insert("content-type", "text/xml");
    response
}
