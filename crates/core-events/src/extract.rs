//! Picking one typed event out of a hub's event enum.

/// A type that can be picked out of the hub's event type `E`.
///
/// Services publish one enum (say `Event::MessageCreate(MessageCreate)`) and
/// implement `Extract<Event>` for each payload type, so users can listen for
/// just that type: `hub.on::<MessageCreate>(|m| ...)`. Every `E` extracts
/// itself (a blanket impl), which is how the untyped forms work:
/// `hub.on::<Event>(...)` or `hub.on(|e: Event| ...)`.
///
/// Extraction takes the event by value: each listener already receives its
/// own clone from the hub, so moving the payload out costs nothing extra.
///
/// ```
/// use core_events::Extract;
///
/// #[derive(Clone, Debug)]
/// enum Event {
///     Message(String),
///     Join(u64),
/// }
///
/// impl Extract<Event> for String {
///     fn extract(event: Event) -> Option<Self> {
///         match event {
///             Event::Message(text) => Some(text),
///             Event::Join(_) => None,
///         }
///     }
/// }
///
/// assert_eq!(String::extract(Event::Message("hi".into())), Some("hi".to_owned()));
/// assert_eq!(String::extract(Event::Join(7)), None);
/// ```
pub trait Extract<E>: Sized {
    /// Returns the typed payload if `event` carries one, `None` otherwise.
    fn extract(event: E) -> Option<Self>;
}

impl<E> Extract<E> for E {
    fn extract(event: E) -> Option<Self> {
        Some(event)
    }
}
