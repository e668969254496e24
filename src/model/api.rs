use serde::{Deserialize, Serialize};

use super::{AccountId, PolicyText, Region};

/// How an API is exposed (`endpointConfiguration.types`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EndpointType {
    Private,
    Regional,
    Edge,
}

impl EndpointType {
    pub fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_uppercase().as_str() {
            "PRIVATE" => Some(Self::Private),
            "REGIONAL" => Some(Self::Regional),
            "EDGE" => Some(Self::Edge),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Private => "PRIVATE",
            Self::Regional => "REGIONAL",
            Self::Edge => "EDGE",
        }
    }
}

/// A method's `authorizationType`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum AuthorizationType {
    None,
    AwsIam,
    Custom,
    CognitoUserPools,
    /// A value this version of ztharden does not know; kept verbatim.
    Other(String),
}

impl AuthorizationType {
    pub fn as_str(&self) -> &str {
        match self {
            Self::None => "NONE",
            Self::AwsIam => "AWS_IAM",
            Self::Custom => "CUSTOM",
            Self::CognitoUserPools => "COGNITO_USER_POOLS",
            Self::Other(s) => s,
        }
    }
}

impl From<String> for AuthorizationType {
    fn from(value: String) -> Self {
        match value.as_str() {
            "NONE" => Self::None,
            "AWS_IAM" => Self::AwsIam,
            "CUSTOM" => Self::Custom,
            "COGNITO_USER_POOLS" => Self::CognitoUserPools,
            _ => Self::Other(value),
        }
    }
}

impl From<&str> for AuthorizationType {
    fn from(value: &str) -> Self {
        Self::from(value.to_string())
    }
}

impl From<AuthorizationType> for String {
    fn from(value: AuthorizationType) -> Self {
        value.as_str().to_string()
    }
}

/// One HTTP method of a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Method {
    pub http_method: String,
    pub authorization_type: AuthorizationType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorizer_id: Option<String>,
    #[serde(default)]
    pub api_key_required: bool,
}

/// A resource (path) of a REST API with its methods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiResource {
    pub id: String,
    pub path: String,
    #[serde(default)]
    pub methods: Vec<Method>,
}

/// A deployed stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_id: Option<String>,
}

/// A REST API with what ztharden needs of it.
///
/// `resources` and `stages` are `None` when they could not be read; the posture's gaps say why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestApi {
    pub id: String,
    pub name: String,
    pub endpoint_types: Vec<EndpointType>,
    #[serde(default)]
    pub vpc_endpoint_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyText>,
    #[serde(default)]
    pub resources: Option<Vec<ApiResource>>,
    #[serde(default)]
    pub stages: Option<Vec<Stage>>,
}

impl RestApi {
    pub fn is_private(&self) -> bool {
        self.endpoint_types.contains(&EndpointType::Private)
    }

    /// The control-plane ARN: `arn:aws:apigateway:REGION::/restapis/ID`.
    pub fn arn(&self, region: &Region) -> String {
        format!(
            "arn:{}:apigateway:{}::/restapis/{}",
            region.partition(),
            region,
            self.id
        )
    }

    /// The control-plane ARN of one method.
    pub fn method_arn(&self, region: &Region, resource_id: &str, http_method: &str) -> String {
        format!(
            "{}/resources/{}/methods/{}",
            self.arn(region),
            resource_id,
            http_method
        )
    }

    /// The `execute-api` ARN covering every stage, method and path of this API.
    pub fn execute_arn(&self, region: &Region, account: &AccountId) -> String {
        format!(
            "arn:{}:execute-api:{}:{}:{}/*",
            region.partition(),
            region,
            account,
            self.id
        )
    }

    /// The `execute-api` ARN of one invocation: `.../API_ID/STAGE/VERB/path` (path without
    /// its leading slash, as AWS writes it).
    pub fn invoke_arn(
        &self,
        region: &Region,
        account: &AccountId,
        stage: &str,
        http_method: &str,
        path: &str,
    ) -> String {
        format!(
            "arn:{}:execute-api:{}:{}:{}/{}/{}/{}",
            region.partition(),
            region,
            account,
            self.id,
            stage,
            http_method,
            path.trim_start_matches('/')
        )
    }

    /// Every method of every resource, with its resource; empty when not read.
    pub fn methods(&self) -> impl Iterator<Item = (&ApiResource, &Method)> {
        self.resources
            .iter()
            .flatten()
            .flat_map(|r| r.methods.iter().map(move |m| (r, m)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> RestApi {
        RestApi {
            id: "a1b2c3d4e5".into(),
            name: "orders".into(),
            endpoint_types: vec![EndpointType::Private],
            vpc_endpoint_ids: vec![],
            policy: None,
            resources: None,
            stages: None,
        }
    }

    #[test]
    fn arns_have_the_aws_shapes() {
        let region = Region::new("us-east-1").unwrap();
        let account = AccountId::new("111122223333").unwrap();
        let api = api();
        assert_eq!(
            api.arn(&region),
            "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5"
        );
        assert_eq!(
            api.execute_arn(&region, &account),
            "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*"
        );
        assert_eq!(
            api.invoke_arn(&region, &account, "prod", "GET", "/orders/{id}"),
            "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/orders/{id}"
        );
        assert_eq!(
            api.method_arn(&region, "r1", "GET"),
            "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/resources/r1/methods/GET"
        );
    }

    #[test]
    fn authorization_types_round_trip() {
        for s in [
            "NONE",
            "AWS_IAM",
            "CUSTOM",
            "COGNITO_USER_POOLS",
            "SOMETHING_NEW",
        ] {
            assert_eq!(AuthorizationType::from(s).as_str(), s);
        }
        assert_eq!(
            AuthorizationType::from("AWS_IAM"),
            AuthorizationType::AwsIam
        );
    }
}
