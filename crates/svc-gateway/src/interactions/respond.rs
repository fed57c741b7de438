//! [`InteractionContext`]: answering one interaction, with Discord's clock kept locally.
//!
//! Discord wants the first response within 3 seconds of the interaction and accepts
//! follow-ups and edits for 15 minutes. Past either window its answer is a 404 ("Unknown
//! interaction" or "Unknown Webhook") and the user sees "This interaction failed", so the
//! context checks the time from receipt before sending and returns
//! [`ErrorKind::InteractionExpired`] instead. It also tracks whether the first response
//! went out: a second one is [`ErrorKind::AlreadyAnswered`], a follow-up before it
//! [`ErrorKind::NotAnswered`].

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::error::{Error, ErrorKind};
use crate::model::{
    ApplicationMarker, ChannelMarker, GuildMarker, Id, Interaction, Message, MessageMarker, Modal,
    User,
};
use crate::rest::{CreateMessage, EPHEMERAL, EditMessage, InteractionResponse, RestClient};

/// Discord's deadline for the first response.
pub const RESPONSE_WINDOW: Duration = Duration::from_secs(3);
/// How long the interaction token accepts follow-ups and edits.
pub const TOKEN_LIFETIME: Duration = Duration::from_mins(15);

/// Where the first response stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// Nothing sent yet.
    Pending,
    /// A first response is on its way.
    Sending,
    /// A message, choices or a modal was sent.
    Answered,
    /// A deferred response was sent: the real one comes by editing the original.
    Deferred,
}

/// Answers one interaction: the first response, then edits and follow-ups. Cheap to
/// clone (clones share the state), so a handler can hand it to a task.
#[derive(Debug, Clone)]
pub struct InteractionContext {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    rest: RestClient,
    interaction: Interaction,
    received: Instant,
    answer: parking_lot::Mutex<Answer>,
}

impl InteractionContext {
    /// A context for `interaction`, received at `received` (its windows count from there).
    pub fn new(rest: RestClient, interaction: Interaction, received: Instant) -> Self {
        Self {
            inner: Arc::new(Inner {
                rest,
                interaction,
                received,
                answer: parking_lot::Mutex::new(Answer::Pending),
            }),
        }
    }

    /// The interaction.
    pub fn interaction(&self) -> &Interaction {
        &self.inner.interaction
    }

    /// The REST client (for anything beyond answering).
    pub fn rest(&self) -> &RestClient {
        &self.inner.rest
    }

    /// Who triggered it.
    pub fn author(&self) -> Option<&User> {
        self.inner.interaction.author()
    }

    /// The guild it happened in.
    pub fn guild_id(&self) -> Option<Id<GuildMarker>> {
        self.inner.interaction.guild_id
    }

    /// The channel it happened in.
    pub fn channel_id(&self) -> Option<Id<ChannelMarker>> {
        self.inner.interaction.channel_id()
    }

    /// Time since it was received.
    pub fn elapsed(&self) -> Duration {
        self.inner.received.elapsed()
    }

    /// Whether a first response (or a defer) went out.
    pub fn is_answered(&self) -> bool {
        matches!(self.answer(), Answer::Answered | Answer::Deferred)
    }

    pub(crate) fn answer(&self) -> Answer {
        *self.lock()
    }

    fn lock(&self) -> parking_lot::MutexGuard<'_, Answer> {
        self.inner.answer.lock()
    }

    fn application(&self) -> Id<ApplicationMarker> {
        self.inner.interaction.application_id
    }

    fn token(&self) -> &str {
        &self.inner.interaction.token
    }

    /// Sends the first response, once, within the 3-second window.
    pub(crate) async fn initial(
        &self,
        response: &InteractionResponse,
        then: Answer,
    ) -> Result<(), Error> {
        {
            let mut answer = self.lock();
            if *answer != Answer::Pending {
                return Err(Error::new(ErrorKind::AlreadyAnswered));
            }
            if self.elapsed() > RESPONSE_WINDOW {
                return Err(Error::new(ErrorKind::InteractionExpired));
            }
            *answer = Answer::Sending;
        }
        let sent = self
            .inner
            .rest
            .interaction_response(self.inner.interaction.id, self.token(), response)
            .await;
        *self.lock() = if sent.is_ok() { then } else { Answer::Pending };
        sent
    }

    /// Checks that follow-ups and edits may be sent now.
    fn later(&self) -> Result<(), Error> {
        if !self.is_answered() {
            return Err(Error::new(ErrorKind::NotAnswered));
        }
        if self.elapsed() > TOKEN_LIFETIME {
            return Err(Error::new(ErrorKind::InteractionExpired));
        }
        Ok(())
    }

    /// Answers with a message everyone in the channel sees.
    pub async fn respond(&self, message: impl Into<CreateMessage>) -> Result<(), Error> {
        let response = InteractionResponse::message(message.into());
        self.initial(&response, Answer::Answered).await
    }

    /// Answers with a message only the user sees.
    pub async fn respond_ephemeral(&self, message: impl Into<CreateMessage>) -> Result<(), Error> {
        self.respond(ephemeral(message.into())).await
    }

    /// "Thinking…": answer within 15 minutes with [`edit_original`](Self::edit_original)
    /// or [`followup`](Self::followup). With `ephemeral`, only the user sees it (and the
    /// answer that replaces it).
    pub async fn defer(&self, ephemeral: bool) -> Result<(), Error> {
        let response = if ephemeral {
            InteractionResponse::deferred_ephemeral()
        } else {
            InteractionResponse::deferred()
        };
        self.initial(&response, Answer::Deferred).await
    }

    /// Answers with a modal (not possible in answer to a modal submit).
    pub async fn modal(&self, modal: Modal) -> Result<(), Error> {
        self.initial(&InteractionResponse::modal(modal), Answer::Answered)
            .await
    }

    /// Edits the first response (or fills in a deferred one).
    pub async fn edit_original(&self, edit: impl Into<EditMessage>) -> Result<Message, Error> {
        self.later()?;
        self.inner
            .rest
            .edit_original_response(self.application(), self.token(), &edit.into())
            .await
    }

    /// Deletes the first response.
    pub async fn delete_original(&self) -> Result<(), Error> {
        self.later()?;
        self.inner
            .rest
            .delete_original_response(self.application(), self.token())
            .await
    }

    /// Sends another message after the first response.
    pub async fn followup(&self, message: impl Into<CreateMessage>) -> Result<Message, Error> {
        self.later()?;
        self.inner
            .rest
            .followup(self.application(), self.token(), &message.into())
            .await
    }

    /// Sends another message, seen only by the user.
    pub async fn followup_ephemeral(
        &self,
        message: impl Into<CreateMessage>,
    ) -> Result<Message, Error> {
        self.followup(ephemeral(message.into())).await
    }

    /// Edits a follow-up.
    pub async fn edit_followup(
        &self,
        message: Id<MessageMarker>,
        edit: impl Into<EditMessage>,
    ) -> Result<Message, Error> {
        self.later()?;
        self.inner
            .rest
            .edit_followup(self.application(), self.token(), message, &edit.into())
            .await
    }

    /// Tells the user something went wrong, in whatever way is still open: an ephemeral
    /// answer, the deferred answer, or an ephemeral follow-up.
    pub(crate) async fn report_failure(&self, text: &str) -> Result<(), Error> {
        match self.answer() {
            Answer::Pending => self.respond_ephemeral(text).await,
            Answer::Deferred => self.edit_original(text).await.map(drop),
            Answer::Answered | Answer::Sending => self.followup_ephemeral(text).await.map(drop),
        }
    }
}

fn ephemeral(mut message: CreateMessage) -> CreateMessage {
    message.flags |= EPHEMERAL;
    message
}

// Text is the common answer: `ctx.respond("pong")`.
impl From<&str> for CreateMessage {
    fn from(text: &str) -> Self {
        Self::text(text)
    }
}

impl From<String> for CreateMessage {
    fn from(text: String) -> Self {
        Self::text(text)
    }
}

impl From<&str> for EditMessage {
    fn from(text: &str) -> Self {
        Self {
            content: Some(text.to_owned()),
            ..Self::default()
        }
    }
}

impl From<String> for EditMessage {
    fn from(text: String) -> Self {
        Self {
            content: Some(text),
            ..Self::default()
        }
    }
}
