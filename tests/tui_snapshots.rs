//! Whole screens of the TUI on a test backend, with the lab account and a fixed clock.

use std::sync::Arc;

use async_trait::async_trait;
use crossterm::event::KeyCode;
use ratatui::style::Color;
use time::macros::datetime;
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::cloud::{
    Applied, Cloud, CloudError, CloudErrorKind, CloudLabel, Progress, ReadEvent, read_only_error,
};
use ztharden::model::{PolicyText, Posture, ReadGap};
use ztharden::plan::Change;
use ztharden::tui::{Headless, Msg, Theme};

const SIZE: (u16, u16) = (120, 36);

fn session(cloud: Arc<dyn Cloud>, theme: Theme, size: (u16, u16)) -> Headless {
    Headless::new(cloud, theme, size, datetime!(2026-05-01 09:30:00 UTC))
}

async fn lab(size: (u16, u16)) -> Headless {
    session(Arc::new(SandboxCloud::lab()), Theme::default(), size)
        .scanned()
        .await
}

/// A cloud whose reads always fail, as an expired session does.
struct Failing;

#[async_trait]
impl Cloud for Failing {
    fn label(&self) -> CloudLabel {
        CloudLabel::Aws {
            profile: Some("prod".into()),
            endpoint_url: None,
        }
    }

    async fn read_posture(&self, progress: &dyn Progress) -> Result<Posture, CloudError> {
        progress.report(ReadEvent::Started("account".into()));
        Err(CloudError::new(
            CloudErrorKind::Credentials,
            "GetCallerIdentity",
            "the security token included in the request is expired",
        ))
    }

    async fn apply(&self, change: &Change) -> Result<Applied, CloudError> {
        Err(read_only_error(change))
    }
}

#[tokio::test]
async fn the_list_of_api_paths_after_a_scan() {
    let tui = lab(SIZE).await;
    let screen = tui.screen();
    assert!(screen.contains("orders"), "{screen}");
    insta::assert_snapshot!("list", screen);
}

#[tokio::test]
async fn the_detail_of_orders() {
    let mut tui = lab(SIZE).await;
    tui.key(KeyCode::Char('j'));
    tui.key(KeyCode::Enter);
    insta::assert_snapshot!("orders_detail", tui.screen());
}

/// The whole detail of `orders` at once (a tall terminal), to review every section.
#[tokio::test]
async fn the_whole_detail_of_orders() {
    let mut tui = lab((120, 36)).await;
    tui.key(KeyCode::Char('j'));
    tui.key(KeyCode::Enter);
    tui.send(Msg::Resize {
        width: 120,
        height: 130,
    });
    let screen = tui.screen();
    for expected in [
        "METHODS",
        "RESOURCE POLICY",
        "ENDPOINT vpce-0e9e9e9e9e9e9e9e9",
        "subnet-0aa1111111111111a, subnet-0bb2222222222222b",
        "inventory (f6g7h8i9j0)",
        "sgr-0e9e9e9e9e9e90443",
        "HTTPS from anywhere",
        "LIKELY CALLERS",
        "arn:aws:iam::111122223333:role/service-a-role",
    ] {
        assert!(
            screen.contains(expected),
            "missing {expected:?} in\n{screen}"
        );
    }
    insta::assert_snapshot!("orders_detail_whole", screen);
}

#[tokio::test]
async fn the_endpoints_view() {
    let mut tui = lab(SIZE).await;
    tui.key(KeyCode::Tab);
    insta::assert_snapshot!("endpoints", tui.screen());
}

#[tokio::test]
async fn the_security_groups_view() {
    let mut tui = lab(SIZE).await;
    tui.key(KeyCode::Tab);
    tui.key(KeyCode::Tab);
    tui.key(KeyCode::Char('G'));
    insta::assert_snapshot!("security_groups", tui.screen());
}

#[tokio::test]
async fn the_help_overlay() {
    let mut tui = lab(SIZE).await;
    tui.key(KeyCode::Char('?'));
    insta::assert_snapshot!("help", tui.screen());
}

#[tokio::test]
async fn a_filter_being_typed() {
    let mut tui = lab(SIZE).await;
    tui.key(KeyCode::Char('/'));
    tui.type_text("inv");
    insta::assert_snapshot!("filter", tui.screen());
}

#[tokio::test]
async fn a_failed_scan_says_what_to_do() {
    let tui = session(Arc::new(Failing), Theme::default(), SIZE)
        .scanned()
        .await;
    let screen = tui.screen();
    assert!(screen.contains("GetCallerIdentity failed"), "{screen}");
    assert!(
        screen.contains("aws sso login"),
        "the hint is shown: {screen}"
    );
    insta::assert_snapshot!("scan_error", screen);
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_list() {
    let mut tui = lab(SIZE).await;
    tui.key(KeyCode::Char('r'));
    let generation = tui.state.generation;
    tui.pending.clear();
    tui.send(Msg::ScanDone {
        generation,
        result: Err("GetRestApis failed: Rate exceeded; wait a minute and refresh".into()),
        finished_at: datetime!(2026-05-01 09:31:00 UTC),
    });
    let screen = tui.screen();
    assert!(
        screen.contains("Refresh failed: GetRestApis failed"),
        "{screen}"
    );
    assert!(
        screen.contains("09:30:00"),
        "the time of the last good scan stays: {screen}"
    );
    insta::assert_snapshot!("refresh_error", screen);
}

#[tokio::test]
async fn the_progress_of_a_running_scan() {
    let mut tui = session(Arc::new(SandboxCloud::lab()), Theme::default(), SIZE);
    tui.send(Msg::Refresh);
    for event in [
        ReadEvent::Started("REST APIs".into()),
        ReadEvent::Read {
            what: "resources and stages of orders".into(),
            done: 1,
            total: 3,
        },
        ReadEvent::Read {
            what: "resources and stages of inventory".into(),
            done: 2,
            total: 3,
        },
        ReadEvent::Gap("GetResources on k1l2m3n4o5: access denied".into()),
        ReadEvent::Started("VPC endpoints".into()),
    ] {
        tui.send(Msg::ScanProgress {
            generation: 1,
            event,
        });
    }
    let screen = tui.screen();
    assert!(screen.contains("2/3"), "{screen}");
    insta::assert_snapshot!("scanning", screen);
}

/// Badges are coloured; with NO_COLOR nothing is, and the badge text stays.
#[tokio::test]
async fn badges_use_colour_unless_no_color() {
    let find = |tui: &Headless, text: &str| {
        let terminal = tui.draw();
        let buffer = terminal.backend().buffer().clone();
        let area = buffer.area;
        for y in 0..area.height {
            let row: Vec<&str> = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
            let wanted: Vec<String> = text.chars().map(String::from).collect();
            if let Some(x) = row
                .windows(wanted.len())
                .position(|w| w == wanted.as_slice())
            {
                return buffer[(x as u16, y)].clone();
            }
        }
        panic!("{text} not on screen:\n{}", tui.screen());
    };
    let colour = lab(SIZE).await;
    assert_eq!(find(&colour, "FAIL").fg, Color::Red);
    let plain = session(Arc::new(SandboxCloud::lab()), Theme::new(true), SIZE)
        .scanned()
        .await;
    assert_eq!(
        plain.screen(),
        colour.screen(),
        "the same text with or without colour"
    );
    let terminal = plain.draw();
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset, "no colour with NO_COLOR: {cell:?}");
        assert_eq!(cell.bg, Color::Reset, "no colour with NO_COLOR: {cell:?}");
    }
}

/// A malformed endpoint policy and the read gaps show on the resources they concern.
#[tokio::test]
async fn malformed_policies_and_read_gaps_show_on_their_resources() {
    let mut posture = SandboxCloud::lab_posture();
    posture.endpoints[0].policy = Some(PolicyText::new("{\"Statement\": [ {\"Effect\": "));
    let orders = posture
        .apis
        .iter_mut()
        .find(|a| a.name == "orders")
        .unwrap();
    orders.resources = None;
    posture.gaps.push(ReadGap {
        resource: "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5".into(),
        operation: "GetResources".into(),
        message: "access denied; grant apigateway:GET on /restapis/*".into(),
    });
    posture.gaps.push(ReadGap {
        resource: "111122223333".into(),
        operation: "DescribeInstances".into(),
        message: "access denied; grant ec2:DescribeInstances".into(),
    });
    let mut tui = session(
        Arc::new(SandboxCloud::from_posture(posture)),
        Theme::default(),
        (120, 130),
    )
    .scanned()
    .await;
    let list = tui.screen();
    assert!(list.contains("! not all read"), "{list}");
    assert!(
        list.contains("1 thing could not be read") || list.contains("2 things could not be read"),
        "{list}"
    );
    tui.key(KeyCode::Char('j'));
    tui.key(KeyCode::Enter);
    let detail = tui.screen();
    for expected in [
        "GetResources failed: access denied; grant apigateway:GET",
        "methods could not be read",
        "malformed policy:",
        "DescribeInstances failed",
    ] {
        assert!(
            detail.contains(expected),
            "missing {expected:?} in\n{detail}"
        );
    }
    insta::assert_snapshot!("gaps_and_malformed_policy", detail);
}

/// A caller's group shows which groups admit it (the hardened endpoint-sg shape), and a
/// narrow terminal abbreviates the control columns instead of hiding the ids.
#[tokio::test]
async fn a_callers_group_shows_where_it_is_allowed_in() {
    let mut posture = SandboxCloud::lab_posture();
    let endpoint_group = posture
        .security_groups
        .iter_mut()
        .find(|g| g.id == "sg-0e9e9e9e9e9e9e9e9")
        .and_then(|g| g.ingress.as_mut())
        .unwrap();
    endpoint_group[0].rule_id = "sgr-0a1a1a1a1a1a10443".into();
    endpoint_group[0].source = ztharden::model::RuleSource::Group {
        group_id: "sg-0a1a1a1a1a1a1a1a1".into(),
        owner_id: None,
    };
    endpoint_group[0].description = Some("HTTPS from service-a".into());
    let mut tui = session(
        Arc::new(SandboxCloud::from_posture(posture)),
        Theme::default(),
        (100, 40),
    )
    .scanned()
    .await;
    tui.key(KeyCode::Char('3'));
    let screen = tui.screen();
    assert!(
        screen.contains(
            "sg-0e9e9e9e9e9e9e9e9 (execute-api-endpoint): tcp 443 by sgr-0a1a1a1a1a1a10443"
        ),
        "{screen}"
    );
    assert!(screen.contains("ep-sg"), "{screen}");
    insta::assert_snapshot!("caller_group_narrow", screen);
}

/// The lab, named as an AWS profile with an endpoint override is (a long label).
struct LongLabel(SandboxCloud);

#[async_trait]
impl Cloud for LongLabel {
    fn label(&self) -> CloudLabel {
        CloudLabel::Aws {
            profile: Some("default".into()),
            endpoint_url: Some("http://127.0.0.1:5077".into()),
        }
    }

    async fn read_posture(&self, progress: &dyn Progress) -> Result<Posture, CloudError> {
        self.0.read_posture(progress).await
    }

    async fn apply(&self, change: &Change) -> Result<Applied, CloudError> {
        Err(read_only_error(change))
    }
}

/// With a long source label the header gives up its least important parts first: the app's
/// name, then the words "source", "region", "account", then the seconds; the account, the
/// whole label and "READ-ONLY" stay.
#[tokio::test]
async fn the_header_makes_room_for_a_long_source_label() {
    let mut headers = String::new();
    for width in [160, 140, 100, 72, 50] {
        let tui = session(
            Arc::new(LongLabel(SandboxCloud::lab())),
            Theme::default(),
            (width, 24),
        )
        .scanned()
        .await;
        let screen = tui.screen();
        let header = screen.lines().next().unwrap_or_default();
        assert!(header.chars().count() <= usize::from(width), "{header:?}");
        assert!(header.contains("111122223333"), "{header:?}");
        assert!(header.ends_with("  READ-ONLY"), "{header:?}");
        if width >= 100 {
            assert!(
                header.contains("profile default @ http://127.0.0.1:5077"),
                "{header:?}"
            );
        }
        headers.push_str(&format!("{width:>3}|{header}\n"));
    }
    insta::assert_snapshot!("header_long_label", headers);
}
