use super::*;
use crate::steps::{Status, api_paths};

#[test]
fn every_api_is_a_path_with_its_endpoint_and_groups() {
    let p = lab(|_| {});
    let paths = api_paths(&p);
    assert_eq!(paths.len(), 3);
    assert_eq!(paths[1].api_name, "orders");
    assert_eq!(paths[1].endpoint_ids, [VPCE]);
    assert_eq!(paths[1].security_group_ids, ["sg-0e9e9e9e9e9e9e9e9"]);
    assert!(paths[2].endpoint_ids.is_empty(), "status is REGIONAL");
    let findings = assess(&p);
    assert_eq!(
        paths[1].status(&findings, Control::IamAuth),
        Some(Status::Fail)
    );
    assert_eq!(
        paths[0].status(&findings, Control::IamAuth),
        Some(Status::Warn)
    );
    assert_eq!(
        paths[0].status(&findings, Control::EndpointSg),
        Some(Status::Fail),
        "shared endpoint"
    );
    assert_eq!(paths[2].status(&findings, Control::EndpointPolicy), None);
}

#[test]
fn a_fully_hardened_orders_path_passes_every_control() {
    let p = lab(|p| {
        sign_orders(p);
        set_orders_policy(p, &guide_resource_policy());
        set_endpoint_policy(
            p,
            &serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"AWS": [SERVICE_A_ROLE]}, "Action": "execute-api:Invoke",
                "Resource": [ORDERS_ARN, "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*"]}]}),
        );
        let sg = p
            .security_groups
            .iter_mut()
            .find(|g| g.id == "sg-0e9e9e9e9e9e9e9e9")
            .unwrap();
        sg.ingress = Some(vec![crate::model::IngressRule {
            rule_id: "sgr-new".into(),
            protocol: "tcp".into(),
            from_port: Some(443),
            to_port: Some(443),
            source: crate::model::RuleSource::Group {
                group_id: "sg-0a1a1a1a1a1a1a1a1".into(),
                owner_id: None,
            },
            description: Some("HTTPS from service-a".into()),
        }]);
    });
    let findings = assess(&p);
    let orders = &api_paths(&p)[1];
    for control in Control::ALL {
        assert_eq!(
            orders.status(&findings, control),
            Some(Status::Pass),
            "{control}: {:#?}",
            orders.findings(&findings, control).collect::<Vec<_>>()
        );
    }
}
