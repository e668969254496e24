//! Typing callers and endpoints into the wizard (`a`): a valid value is added selected and
//! planned with at once; a refused one changes nothing and says what is wrong; `Esc` cancels;
//! while typing, keys are text.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use support::keys::{done, key, press};
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::model::Posture;
use ztharden::plan::Change;
use ztharden::steps::Control;
use ztharden::tui::wizard::Item;
use ztharden::tui::{Effect, Msg, Pane, Scanned, State, Theme, Wizard, update};

const SERVICE_B_ROLE: &str = "arn:aws:iam::111122223333:role/service-b-role";

/// The wizard open on `orders` of a posture, at 120x36.
fn wizard_on(posture: Posture) -> State {
    let mut state = State::new("SANDBOX", Theme::default());
    state.size = (120, 36);
    update(&mut state, Msg::Refresh);
    update(&mut state, done(1, Scanned::new(posture)));
    press(&mut state, "jw");
    assert!(state.wizard.is_some(), "w opens the wizard");
    state
}

fn wizard() -> State {
    wizard_on(SandboxCloud::lab_posture())
}

fn w(state: &State) -> &Wizard {
    state.wizard.as_ref().expect("the wizard is open")
}

/// `a`, the text, `Enter`.
fn add(state: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = press(state, "a");
    assert!(w(state).typing.is_some(), "a opens the field");
    effects.extend(press(state, text));
    effects.extend(update(state, key(KeyCode::Enter)));
    effects
}

/// The error shown under the field, which stays open with the text.
fn refused(state: &State) -> String {
    let typing = w(state).typing.as_ref().expect("the field stays open");
    typing.error.clone().expect("an error is shown")
}

fn endpoint_policy_text(state: &State) -> String {
    w(state)
        .step_plan(Control::EndpointPolicy)
        .unwrap()
        .changes
        .iter()
        .find_map(|c| match c {
            Change::SetEndpointPolicy { new, .. } => Some(new.clone()),
            _ => None,
        })
        .expect("the endpoint policy is replaced")
}

#[test]
fn a_typed_role_is_added_selected_and_the_endpoint_policy_names_it() {
    let mut state = wizard();
    press(&mut state, "3");
    assert!(!endpoint_policy_text(&state).contains(SERVICE_B_ROLE));
    assert!(add(&mut state, SERVICE_B_ROLE).is_empty());
    let wizard = w(&state);
    assert!(wizard.typing.is_none(), "the field closes");
    assert_eq!(wizard.inputs.caller_roles.last().unwrap(), SERVICE_B_ROLE);
    assert!(endpoint_policy_text(&state).contains(SERVICE_B_ROLE));
    let choice = wizard.choice().expect("the cursor is on the new role");
    assert_eq!(choice.item, Item::Role(SERVICE_B_ROLE.into()));
    assert_eq!(choice.label, "service-b-role");
    assert_eq!(wizard.pane, Pane::Inputs);
    let notice = wizard.notice.as_ref().expect("what happened is said");
    assert!(notice.text.contains("added caller role"), "{notice:?}");
    press(&mut state, "j");
    assert!(
        w(&state).notice.is_none(),
        "the notice goes at the next key"
    );
}

#[test]
fn a_malformed_arn_is_refused_and_changes_nothing() {
    let mut state = wizard();
    let before = w(&state).clone();
    add(&mut state, "arn:aws:iam::1111:role/x");
    let error = refused(&state);
    assert!(
        error.contains("is not a role ARN")
            && error.contains("arn:aws:iam::111122223333:role/NAME"),
        "{error}"
    );
    let after = w(&state);
    assert_eq!(after.inputs, before.inputs);
    assert_eq!(after.offers, before.offers);
    assert_eq!(after.plan, before.plan);
    assert_eq!(
        after.typing.as_ref().unwrap().text,
        "arn:aws:iam::1111:role/x",
        "the text stays, to be fixed"
    );
}

#[test]
fn a_role_of_another_account_is_refused() {
    let mut state = wizard();
    add(&mut state, "arn:aws:iam::444455556666:role/other");
    let error = refused(&state);
    assert!(
        error.contains("belongs to account 444455556666, not 111122223333"),
        "{error}"
    );
    assert_eq!(w(&state).inputs.caller_roles.len(), 2);
}

#[test]
fn an_unknown_group_or_endpoint_is_refused() {
    let mut state = wizard();
    add(&mut state, "sg-0123456789abcdef0");
    let error = refused(&state);
    assert!(
        error.contains("security group sg-0123456789abcdef0 was not read"),
        "{error}"
    );
    update(&mut state, key(KeyCode::Esc));
    add(&mut state, "vpce-0123456789abcdef0");
    let error = refused(&state);
    assert!(
        error.contains("pick one of vpce-0e9e9e9e9e9e9e9e9"),
        "{error}"
    );
    update(&mut state, key(KeyCode::Esc));
    add(&mut state, "sg-12");
    assert!(refused(&state).contains("8 or 17 hex digits"));
    let w = w(&state);
    assert_eq!(w.inputs.caller_groups.len(), 2);
    assert_eq!(w.inputs.endpoint_ids, ["vpce-0e9e9e9e9e9e9e9e9"]);
}

#[test]
fn a_value_of_no_known_kind_says_what_to_type() {
    let mut state = wizard();
    add(&mut state, "service-b");
    let error = refused(&state);
    assert!(
        error.contains("'service-b' is not a role ARN, a security group id or a VPC endpoint id")
            && error.contains("sg-… or vpce-…"),
        "{error}"
    );
}

#[test]
fn esc_cancels_the_field_and_a_second_esc_leaves_the_wizard() {
    let mut state = wizard();
    let before = w(&state).inputs.clone();
    press(&mut state, "asg-0e9e9e9e9e9e9e9e9");
    update(&mut state, key(KeyCode::Esc));
    assert!(state.wizard.is_some(), "Esc closed the field only");
    assert!(w(&state).typing.is_none());
    assert_eq!(w(&state).inputs, before);
    update(&mut state, key(KeyCode::Esc));
    assert!(state.wizard.is_none());
}

#[test]
fn while_typing_keys_are_text() {
    let mut state = wizard();
    press(&mut state, "a");
    assert!(press(&mut state, "q?2r").is_empty(), "no quit, no scan");
    assert!(!state.help);
    let w = w(&state);
    assert_eq!(w.step, Control::IamAuth);
    assert_eq!(w.typing.as_ref().unwrap().text, "q?2r");
    update(&mut state, key(KeyCode::Backspace));
    assert_eq!(
        state.wizard.as_ref().unwrap().typing.as_ref().unwrap().text,
        "q?2"
    );
    let ctrl_u = Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    update(&mut state, ctrl_u);
    assert_eq!(
        state.wizard.as_ref().unwrap().typing.as_ref().unwrap().text,
        ""
    );
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(
        update(&mut state, ctrl_c),
        [Effect::Quit],
        "Ctrl-C still quits"
    );
}

/// A group of another VPC is allowed, with a warning that says what it means.
#[test]
fn a_group_of_another_vpc_is_added_with_a_warning() {
    let mut posture = SandboxCloud::lab_posture();
    let mut far = posture.security_groups[1].clone();
    far.id = "sg-0f0f0f0f0f0f0f0f0".into();
    far.name = "far-away".into();
    far.vpc_id = "vpc-0ffffffffffffffff".into();
    posture.security_groups.push(far);
    let mut state = wizard_on(posture);
    press(&mut state, "4");
    add(&mut state, "sg-0f0f0f0f0f0f0f0f0");
    let w = w(&state);
    assert!(w.typing.is_none(), "{:?}", w.typing);
    assert!(
        w.inputs
            .caller_groups
            .contains(&"sg-0f0f0f0f0f0f0f0f0".to_string())
    );
    let warnings = &w.notice.as_ref().unwrap().warnings;
    assert!(
        warnings.len() == 1 && warnings[0].contains("is in vpc-0ffffffffffffffff"),
        "{warnings:?}"
    );
    assert_eq!(w.choice().unwrap().note, "far-away, typed");
    let rules = w.step_plan(Control::EndpointSg).unwrap().changes.iter().any(|c| {
        matches!(c, Change::AuthorizeIngress { source_group_id, .. } if source_group_id == "sg-0f0f0f0f0f0f0f0f0")
    });
    assert!(rules, "the new group is admitted on 443");
}

/// With no caller role selected the inputs are refused, but a good group is not to blame:
/// it is added, and the notice says what still stands in the way, in the wizard's words.
#[test]
fn without_caller_roles_a_group_is_still_added_and_the_message_names_the_wizards_key() {
    let mut state = wizard();
    // Step 3 offers inventory, then the two roles: both off.
    press(&mut state, "3lgj j ");
    assert!(w(&state).inputs.caller_roles.is_empty());
    let error = w(&state).check.clone().expect_err("no caller role");
    assert!(
        error.contains("select a suggested role, or add one (a)") && !error.contains("--caller"),
        "{error}"
    );
    add(&mut state, "sg-0e9e9e9e9e9e9e9e9");
    let w = w(&state);
    assert!(w.typing.is_none(), "accepted: {:?}", w.typing);
    assert!(
        w.inputs
            .caller_groups
            .contains(&"sg-0e9e9e9e9e9e9e9e9".to_string())
    );
    let warnings = &w.notice.as_ref().unwrap().warnings;
    assert_eq!(
        warnings,
        &[format!("the inputs still cannot be planned with: {error}")]
    );
}

/// The endpoint's own group is allowed as a caller's, with the warning of what it means.
#[test]
fn the_endpoints_own_group_is_added_with_a_warning() {
    let mut state = wizard();
    add(&mut state, "sg-0e9e9e9e9e9e9e9e9");
    let warnings = &w(&state).notice.as_ref().expect("added").warnings;
    assert!(
        warnings.len() == 1 && warnings[0].contains("own group of vpce-0e9e9e9e9e9e9e9e9"),
        "{warnings:?}"
    );
    assert_eq!(
        w(&state).choice().unwrap().note,
        "execute-api-endpoint, typed"
    );
}

/// A role typed again is the offered one, selected (not a second row).
#[test]
fn typing_an_offered_role_selects_it() {
    let mut state = wizard();
    let service_a = "arn:aws:iam::111122223333:role/service-a-role";
    press(&mut state, "3lgj ");
    assert!(
        !w(&state)
            .inputs
            .caller_roles
            .contains(&service_a.to_string())
    );
    let rows = w(&state).offers.offers.len();
    add(&mut state, service_a);
    let w = w(&state);
    assert!(w.inputs.caller_roles.contains(&service_a.to_string()));
    assert_eq!(w.offers.offers.len(), rows);
    assert!(w.typed.is_empty());
    assert_eq!(w.choice().unwrap().label, "service-a-role");
    assert!(w.notice.as_ref().unwrap().text.contains("offered already"));
}

#[test]
fn a_typed_role_survives_a_refresh() {
    let mut state = wizard();
    add(&mut state, SERVICE_B_ROLE);
    press(&mut state, "r");
    update(
        &mut state,
        done(2, Scanned::new(SandboxCloud::lab_posture())),
    );
    let w = w(&state);
    assert!(w.inputs.caller_roles.contains(&SERVICE_B_ROLE.to_string()));
    assert!(
        w.offers
            .offers
            .iter()
            .any(|o| o.item == Item::Role(SERVICE_B_ROLE.into())),
        "still offered"
    );
}
