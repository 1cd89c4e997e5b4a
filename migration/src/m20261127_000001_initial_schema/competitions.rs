//! Competitions, their quiz questions, participations and quiz answers.

use super::users::Users;
use super::*;

#[derive(DeriveIden, Clone, Copy)]
enum Competitions {
    Table,
    Id,
    Title,
    TitleEn,
    Description,
    DescriptionEn,
    Rules,
    Category,
    CoverUrl,
    Kind,
    Status,
    StartsAt,
    EndsAt,
    RegistrationOpensAt,
    RegistrationClosesAt,
    QuizDurationSeconds,
    MaxParticipants,
    ParticipantsCount,
    EntryFee,
    ParticipationPoints,
    Prizes,
    SearchText,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
    FinalizedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CompetitionQuestions {
    Table,
    Id,
    CompetitionId,
    Position,
    Text,
    Choices,
    CorrectIndex,
    Points,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Participations {
    Table,
    Id,
    CompetitionId,
    UserId,
    Status,
    Score,
    Rank,
    FeePaid,
    PointsAwarded,
    JoinedAt,
    StartedAt,
    SubmittedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CompetitionAnswers {
    Table,
    Id,
    ParticipationId,
    QuestionId,
    ChoiceIndex,
    IsCorrect,
    CreatedAt,
}

pub(super) fn tables() -> Vec<TableDef> {
    vec![
        competitions(),
        competition_questions(),
        participations(),
        competition_answers(),
    ]
}

fn competitions() -> TableDef {
    TableDef::new(
        Table::create()
            .table(Competitions::Table)
            .col(id(Competitions::Id))
            .col(text(Competitions::Title))
            .col(text_null(Competitions::TitleEn))
            .col(text(Competitions::Description))
            .col(text_null(Competitions::DescriptionEn))
            .col(text_null(Competitions::Rules))
            .col(text_null(Competitions::Category))
            .col(text_null(Competitions::CoverUrl))
            .col(text(Competitions::Kind))
            .col(text(Competitions::Status).default("draft"))
            .col(ts(Competitions::StartsAt))
            .col(ts(Competitions::EndsAt))
            .col(ts_null(Competitions::RegistrationOpensAt))
            .col(ts_null(Competitions::RegistrationClosesAt))
            .col(integer_null(Competitions::QuizDurationSeconds))
            .col(integer_null(Competitions::MaxParticipants))
            // Maintained by the join/withdraw UPDATE so the capacity check is one conditional
            // UPDATE instead of a COUNT(*) race.
            .col(integer(Competitions::ParticipantsCount).default(0))
            .col(big_integer(Competitions::EntryFee).default(0))
            .col(big_integer(Competitions::ParticipationPoints).default(0))
            .col(json_binary(Competitions::Prizes))
            .col(text(Competitions::SearchText).default(""))
            .col(big_integer_null(Competitions::CreatedBy))
            .col(ts(Competitions::CreatedAt))
            .col(ts(Competitions::UpdatedAt))
            .col(ts_null(Competitions::PublishedAt))
            .col(ts_null(Competitions::FinalizedAt))
            .foreign_key(&mut fk(
                Competitions::Table,
                Competitions::CreatedBy,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .check((
                "ck_competitions_kind",
                one_of(Competitions::Kind, &["quiz", "judged"]),
            ))
            .check((
                "ck_competitions_status",
                one_of(
                    Competitions::Status,
                    &["draft", "published", "running", "ended", "finalized"],
                ),
            ))
            .check((
                "ck_competitions_max_participants",
                null_or(
                    Competitions::MaxParticipants,
                    positive(Competitions::MaxParticipants),
                ),
            ))
            .check((
                "ck_competitions_participants_count",
                non_negative(Competitions::ParticipantsCount),
            ))
            .check((
                "ck_competitions_entry_fee",
                non_negative(Competitions::EntryFee),
            ))
            .check((
                "ck_competitions_participation_points",
                non_negative(Competitions::ParticipationPoints),
            ))
            .check((
                "ck_competitions_window",
                Expr::col(Competitions::EndsAt).gt(Expr::col(Competitions::StartsAt)),
            )),
        vec![
            index(
                Competitions::Table,
                &[Competitions::Status, Competitions::StartsAt],
            ),
            // The scheduler looks for competitions past their end that are not finalized yet.
            index(Competitions::Table, &[Competitions::EndsAt]),
        ],
    )
}

fn competition_questions() -> TableDef {
    TableDef::new(
        Table::create()
            .table(CompetitionQuestions::Table)
            .col(id(CompetitionQuestions::Id))
            .col(big_integer(CompetitionQuestions::CompetitionId))
            .col(integer(CompetitionQuestions::Position))
            .col(text(CompetitionQuestions::Text))
            .col(json_binary(CompetitionQuestions::Choices))
            .col(integer(CompetitionQuestions::CorrectIndex))
            .col(integer(CompetitionQuestions::Points).default(1))
            .col(ts(CompetitionQuestions::CreatedAt))
            .col(ts(CompetitionQuestions::UpdatedAt))
            .foreign_key(&mut fk(
                CompetitionQuestions::Table,
                CompetitionQuestions::CompetitionId,
                Competitions::Table,
                Competitions::Id,
                ForeignKeyAction::Cascade,
            ))
            .check((
                "ck_competition_questions_correct_index",
                non_negative(CompetitionQuestions::CorrectIndex),
            ))
            .check((
                "ck_competition_questions_points",
                non_negative(CompetitionQuestions::Points),
            )),
        vec![index(
            CompetitionQuestions::Table,
            &[
                CompetitionQuestions::CompetitionId,
                CompetitionQuestions::Position,
            ],
        )],
    )
}

fn participations() -> TableDef {
    TableDef::new(
        Table::create()
            .table(Participations::Table)
            .col(id(Participations::Id))
            .col(big_integer(Participations::CompetitionId))
            .col(big_integer(Participations::UserId))
            .col(text(Participations::Status).default("registered"))
            .col(big_integer_null(Participations::Score))
            .col(integer_null(Participations::Rank))
            // The fee actually debited, so a withdrawal refunds exactly that even if the
            // competition's fee was edited afterwards.
            .col(big_integer(Participations::FeePaid).default(0))
            .col(big_integer(Participations::PointsAwarded).default(0))
            .col(ts(Participations::JoinedAt))
            .col(ts_null(Participations::StartedAt))
            .col(ts_null(Participations::SubmittedAt))
            .col(ts(Participations::UpdatedAt))
            .index(&mut unique(
                Participations::Table,
                &[Participations::CompetitionId, Participations::UserId],
            ))
            .foreign_key(&mut fk(
                Participations::Table,
                Participations::CompetitionId,
                Competitions::Table,
                Competitions::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                Participations::Table,
                Participations::UserId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            ))
            .check((
                "ck_participations_status",
                one_of(
                    Participations::Status,
                    &[
                        "registered",
                        "submitted",
                        "completed",
                        "withdrawn",
                        "disqualified",
                    ],
                ),
            )),
        vec![
            // Per-competition leaderboard and ranking at finalization.
            index(
                Participations::Table,
                &[
                    Participations::CompetitionId,
                    Participations::Score,
                    Participations::SubmittedAt,
                ],
            ),
            index(
                Participations::Table,
                &[Participations::UserId, Participations::JoinedAt],
            ),
        ],
    )
}

fn competition_answers() -> TableDef {
    TableDef::new(
        Table::create()
            .table(CompetitionAnswers::Table)
            .col(id(CompetitionAnswers::Id))
            .col(big_integer(CompetitionAnswers::ParticipationId))
            .col(big_integer(CompetitionAnswers::QuestionId))
            .col(integer(CompetitionAnswers::ChoiceIndex))
            .col(boolean(CompetitionAnswers::IsCorrect))
            .col(ts(CompetitionAnswers::CreatedAt))
            .index(&mut unique(
                CompetitionAnswers::Table,
                &[
                    CompetitionAnswers::ParticipationId,
                    CompetitionAnswers::QuestionId,
                ],
            ))
            .foreign_key(&mut fk(
                CompetitionAnswers::Table,
                CompetitionAnswers::ParticipationId,
                Participations::Table,
                Participations::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                CompetitionAnswers::Table,
                CompetitionAnswers::QuestionId,
                CompetitionQuestions::Table,
                CompetitionQuestions::Id,
                ForeignKeyAction::Cascade,
            )),
        vec![],
    )
}
