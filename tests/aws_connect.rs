//! `AwsCloud::connect`: the options and the environment it honours, and the missing region.
//!
//! This binary holds a single test because it changes the process environment, which is
//! only sound while no other thread reads it.

mod support;

use support::Moto;
use ztharden::cloud::aws::{AwsCloud, AwsOptions};
use ztharden::cloud::{Cloud, CloudErrorKind, CloudLabel, NoProgress};

fn set(name: &str, value: &str) {
    // SAFETY: the only test of this binary; nothing else runs concurrently.
    unsafe { std::env::set_var(name, value) }
}

fn unset(name: &str) {
    // SAFETY: as above.
    unsafe { std::env::remove_var(name) }
}

#[tokio::test]
async fn connect_honours_options_and_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    for var in [
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
    ] {
        unset(var);
    }
    set("AWS_CONFIG_FILE", missing.to_str().unwrap());
    set("AWS_SHARED_CREDENTIALS_FILE", missing.to_str().unwrap());
    set("AWS_EC2_METADATA_DISABLED", "true");

    // No region anywhere: a clear error before any call.
    let err = AwsCloud::connect(AwsOptions::default())
        .await
        .expect_err("no region");
    assert_eq!(err.kind, CloudErrorKind::Config);
    assert!(
        err.message
            .contains("no region: pass --region or set AWS_REGION"),
        "{err}"
    );

    let Some(moto) = Moto::start() else { return };
    moto.seed();
    set("AWS_ACCESS_KEY_ID", "testing");
    set("AWS_SECRET_ACCESS_KEY", "testing");

    // Options.
    let opts = AwsOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(moto.url.clone()),
    };
    let cloud = AwsCloud::connect(opts).await.expect("connect with options");
    assert_eq!(
        cloud.label(),
        CloudLabel::Aws {
            profile: None,
            endpoint_url: Some(moto.url.clone())
        }
    );
    let posture = cloud
        .read_posture(&NoProgress)
        .await
        .expect("read through options");
    assert_eq!(posture.apis.len(), 3);

    // AWS_REGION and AWS_ENDPOINT_URL, as the SDK reads them.
    set("AWS_REGION", "us-east-1");
    set("AWS_ENDPOINT_URL", &moto.url);
    let cloud = AwsCloud::connect(AwsOptions::default())
        .await
        .expect("connect from env");
    assert_eq!(
        cloud.label(),
        CloudLabel::Aws {
            profile: None,
            endpoint_url: Some(moto.url.clone())
        }
    );
    assert_eq!(
        cloud
            .read_posture(&NoProgress)
            .await
            .expect("read")
            .apis
            .len(),
        3
    );

    // A named profile gives the region and the endpoint.
    unset("AWS_REGION");
    unset("AWS_ENDPOINT_URL");
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile lab]\nregion = us-east-1\nendpoint_url = {}\n",
            moto.url
        ),
    )
    .unwrap();
    set("AWS_CONFIG_FILE", config.to_str().unwrap());
    let opts = AwsOptions {
        profile: Some("lab".into()),
        ..AwsOptions::default()
    };
    let cloud = AwsCloud::connect(opts)
        .await
        .expect("connect with a profile");
    assert_eq!(cloud.region().as_str(), "us-east-1");
    assert_eq!(
        cloud.label(),
        CloudLabel::Aws {
            profile: Some("lab".into()),
            endpoint_url: None
        }
    );
    assert_eq!(
        cloud
            .read_posture(&NoProgress)
            .await
            .expect("read")
            .apis
            .len(),
        3
    );
}
