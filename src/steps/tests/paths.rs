use super::*;
use crate::steps::{ApiPath, Status, api_paths};

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

/// The orders and inventory paths, which share the lab's endpoint.
fn shared(p: &Posture) -> (ApiPath, ApiPath) {
    let paths = api_paths(p);
    let find = |id: &str| paths.iter().find(|a| a.api_id == id).unwrap().clone();
    let (orders, inventory) = (find(ORDERS), find(INVENTORY));
    assert_eq!(
        (&orders.endpoint_ids, &inventory.endpoint_ids),
        (&vec![VPCE.to_string()], &vec![VPCE.to_string()])
    );
    (orders, inventory)
}

#[test]
fn authorizer_methods_open_through_a_shared_endpoint_warn_their_api_only() {
    let p =
        lab(|p| set_endpoint_policy(p, &roles_and_anyone_on(&[SERVICE_A_ROLE], &[INVENTORY_PUT])));
    let findings = assess(&p);
    let (orders, inventory) = shared(&p);
    let control = Control::EndpointPolicy;
    assert_eq!(orders.status(&findings, control), Some(Status::Pass));
    assert_eq!(orders.findings(&findings, control).count(), 1);
    assert_eq!(inventory.status(&findings, control), Some(Status::Warn));
    let warned: Vec<&Finding> = inventory
        .findings(&findings, control)
        .filter(|f| f.status == Status::Warn)
        .collect();
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert!(
        warned[0]
            .reason
            .contains("can invoke PUT /items/{sku} of inventory through it"),
        "{}",
        warned[0].reason
    );
    // The endpoint as a whole still shows the warning: the worst of its findings.
    let worst = findings
        .iter()
        .filter(|f| f.control == control && f.vpc_endpoint_id.as_deref() == Some(VPCE))
        .map(|f| f.status)
        .max();
    assert_eq!(worst, Some(Status::Warn));
}

#[test]
fn a_method_without_authorizer_open_through_a_shared_endpoint_fails_every_path() {
    let orders_get = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*/GET/orders";
    for anonymous in [vec![orders_get], vec![orders_get, INVENTORY_PUT]] {
        let p =
            lab(|p| set_endpoint_policy(p, &roles_and_anyone_on(&[SERVICE_A_ROLE], &anonymous)));
        let findings = assess(&p);
        let (orders, inventory) = shared(&p);
        for path in [&orders, &inventory] {
            let f: Vec<&Finding> = path.findings(&findings, Control::EndpointPolicy).collect();
            assert_eq!(f.len(), 1, "{}: {f:#?}", path.api_name);
            assert_eq!(f[0].status, Status::Fail, "{}", path.api_name);
            assert!(f[0].api_id.is_none(), "the endpoint's own finding");
            assert!(
                f[0].reason
                    .contains("unsigned (anonymous) callers can invoke GET /orders of orders"),
                "{}",
                f[0].reason
            );
        }
    }
}

#[test]
fn a_finding_scoped_to_another_api_does_not_concern_the_path() {
    let (orders, _) = shared(&lab(|_| {}));
    let on_endpoint = || {
        Finding::new(
            Control::EndpointPolicy,
            Status::Warn,
            "arn:e".into(),
            "r".into(),
        )
        .endpoint(VPCE)
    };
    assert!(orders.concerns(&on_endpoint()));
    assert!(orders.concerns(&on_endpoint().api(ORDERS, "orders")));
    assert!(!orders.concerns(&on_endpoint().api(INVENTORY, "inventory")));
    let elsewhere = Finding::new(
        Control::EndpointPolicy,
        Status::Warn,
        "arn:e".into(),
        "r".into(),
    )
    .endpoint("vpce-0123456789abcdef0")
    .api(ORDERS, "orders");
    assert!(!orders.concerns(&elsewhere), "not an endpoint of the path");
}
