using System;

namespace SecureNmc.Simulator.Cards
{
    public enum CardLoginFailure
    {
        None,
        /// <summary>TCP refused: the card is restarting, off, told to refuse, or the service (FTP) is disabled.</summary>
        ConnectionRefused,
        BadCredentials,
        MultiFactorRequired,
        PasswordChangeRequired,
        /// <summary>"Max logins exceeded.": one session is already open.</summary>
        SessionLimitReached,
    }

    public enum CardErrorKind
    {
        NotFound,
        PermissionDenied,
        /// <summary>The card dropped the session (upload cut off, card restarting, session closed).</summary>
        ConnectionDropped,
    }

    /// <summary>A card refusing an operation; <see cref="Exception.Message"/> is the text the card shows.</summary>
    public sealed class CardOperationException : Exception
    {
        public CardOperationException(CardErrorKind kind, string cardMessage) : base(cardMessage) => Kind = kind;

        public CardErrorKind Kind { get; }
    }

    /// <summary>How the card answered a login.</summary>
    public sealed class CardLoginResult
    {
        private CardLoginResult(CardSession? session, CardUser? user, CardLoginFailure failure, string? message)
        {
            Session = session;
            User = user;
            Failure = failure;
            Message = message;
        }

        /// <summary>The session (from <see cref="SimulatedCard.LoginAsync"/>); null after <see cref="SimulatedCard.AdmitAsync"/>.</summary>
        public CardSession? Session { get; }

        /// <summary>Who logged in, when the login succeeded.</summary>
        public CardUser? User { get; }

        public CardLoginFailure Failure { get; }

        /// <summary>What the card prints for the failure ("Max logins exceeded.", the MFA text...).</summary>
        public string? Message { get; }

        public bool Succeeded => Failure == CardLoginFailure.None;

        internal static CardLoginResult Success(CardSession session) => new CardLoginResult(session, session.User, CardLoginFailure.None, null);
        internal static CardLoginResult Admitted(CardUser user) => new CardLoginResult(null, user, CardLoginFailure.None, null);
        internal static CardLoginResult Fail(CardLoginFailure failure, string message) => new CardLoginResult(null, null, failure, message);
    }

    /// <summary>How the card answered a received file.</summary>
    public sealed class CardUploadResult
    {
        private CardUploadResult(bool accepted, string message)
        {
            Accepted = accepted;
            Message = message;
        }

        /// <summary>True: the package was valid and the card is restarting into it (the session is gone).</summary>
        public bool Accepted { get; }

        /// <summary>The card's reply: the refusal text when rejected.</summary>
        public string Message { get; }

        internal static CardUploadResult Accept(string message) => new CardUploadResult(true, message);
        internal static CardUploadResult Reject(string message) => new CardUploadResult(false, message);
    }
}
