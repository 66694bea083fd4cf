//! The use cases of cases against a real store (SQLite and PostgreSQL): the
//! walk of a request to planning, who can read a case (by trying their own
//! keys), the two-person rule on every path, freezing, search and duplicates.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod account;
mod audit_view;
mod breakglass;
mod case_page;
mod conversation;
mod export;
mod files;
mod inbox;
mod journey;
mod partners;
mod referral_files;
mod retention;
mod security;
mod walk;
mod world;

/// Runs one scenario against both backends.
macro_rules! both_backends {
    ($name:ident) => {
        both_backends!(walk, $name);
    };
    ($module:ident, $name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let world = crate::world::World::sqlite().await;
                crate::$module::$name(&world).await;
            }

            #[tokio::test]
            async fn postgres() {
                let world = crate::world::World::postgres().await;
                crate::$module::$name(&world).await;
            }
        }
    };
}

both_backends!(a_request_becomes_a_case_that_reaches_planning_with_a_second_person);
both_backends!(only_the_people_on_a_case_can_open_it);
both_backends!(a_removed_assignee_opens_nothing_new);
both_backends!(the_analysts_keys_open_no_case_content);
both_backends!(nobody_approves_their_own_request);
both_backends!(suspected_infiltration_freezes_the_case);
both_backends!(cases_are_found_by_reference_name_and_phone_and_duplicates_are_flagged);
both_backends!(
    files,
    attachments_stream_in_encrypted_and_come_back_whole_to_the_team_only
);
both_backends!(
    files,
    an_upload_that_is_too_large_or_of_the_wrong_kind_leaves_nothing
);
both_backends!(
    files,
    close_duplicates_are_found_across_scripts_through_sealed_encodings
);
both_backends!(
    journey,
    only_coordinators_read_the_plan_until_a_second_person_releases_it
);
both_backends!(journey, a_missed_check_in_alerts_the_whole_team_at_once);
both_backends!(journey, overdue_tasks_are_listed_most_endangered_first);
both_backends!(journey, plan_records_are_re_encrypted_when_someone_leaves);
both_backends!(
    journey,
    reception_records_the_arrival_and_the_persons_choice_without_reading_the_route
);
both_backends!(journey, follow_up_reviews_come_due_on_the_organisations_schedule);
both_backends!(
    conversation,
    the_requester_reads_their_own_messages_and_the_replies_by_month
);
both_backends!(
    conversation,
    the_requester_reads_their_first_request_again_and_only_with_their_codename
);
both_backends!(
    retention,
    a_closed_case_is_shredded_after_its_retention_period_and_its_facets_stay
);
both_backends!(
    retention,
    deleting_a_case_needs_a_second_person_and_shreds_it_at_once
);
both_backends!(
    partners,
    a_referral_needs_consent_and_opens_only_for_its_partners_liaisons
);
both_backends!(
    partners,
    consent_from_a_call_counts_only_once_a_second_person_approves_it
);
both_backends!(partners, a_handover_is_never_accepted_by_whoever_offered_it);

/// Two servers of the same backend: ours and a partner's that runs its own mamar.
mod a_referral_file_travels_between_two_servers_and_only_as_sent {
    use crate::world::World;

    #[tokio::test]
    async fn sqlite() {
        crate::referral_files::a_referral_file_travels_between_two_servers_and_only_as_sent(
            World::sqlite().await,
            World::sqlite().await,
        )
        .await;
    }

    #[tokio::test]
    async fn postgres() {
        crate::referral_files::a_referral_file_travels_between_two_servers_and_only_as_sent(
            World::postgres().await,
            World::postgres().await,
        )
        .await;
    }
}
both_backends!(breakglass, without_set_up_nobody_off_a_case_can_open_it);
both_backends!(
    breakglass,
    the_overview_tells_administrators_where_break_glass_stands_and_nobody_else
);
both_backends!(
    breakglass,
    when_the_administrators_change_break_glass_is_re_shared_and_still_opens_a_case
);
both_backends!(
    breakglass,
    two_administrators_open_a_case_for_a_limited_time_and_it_is_re_keyed_after
);
both_backends!(
    breakglass,
    a_break_glass_request_is_capped_and_refused_where_it_makes_no_sense
);
both_backends!(
    partners,
    a_requester_withdraws_consent_and_every_referral_to_that_partner_goes
);
both_backends!(
    export,
    an_export_needs_a_second_person_and_opens_only_with_its_passphrase
);
both_backends!(
    account,
    only_an_administrator_reads_the_accounts_and_a_decoy_sees_only_itself
);
both_backends!(account, an_invitation_opens_until_it_expires_and_is_accepted_once);
both_backends!(account, every_colleague_is_named_and_a_decoy_sees_only_itself);
both_backends!(case_page, a_case_page_and_its_forms_are_only_for_the_people_on_it);
both_backends!(
    case_page,
    an_administrator_asks_to_unfreeze_a_case_by_its_reference
);
both_backends!(
    partners,
    the_partners_page_is_for_administrators_and_names_every_liaison
);
both_backends!(
    audit_view,
    only_administrators_and_auditors_read_the_verified_log_and_take_a_checkpoint
);
both_backends!(
    account,
    only_an_administrator_destroys_every_key_and_the_log_says_so
);
both_backends!(
    security,
    the_last_second_factor_is_kept_and_a_key_name_opens_for_its_owner_only
);
both_backends!(
    security,
    duress_keys_and_a_new_password_are_the_callers_own_and_recorded
);
both_backends!(
    account,
    an_administrator_changes_other_accounts_and_never_their_own
);
both_backends!(inbox, only_holders_of_the_intake_key_read_and_answer_the_inbox);
