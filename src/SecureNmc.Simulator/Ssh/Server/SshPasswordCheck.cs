using System.Net;

namespace SecureNmc.Simulator.Ssh.Server
{
    /// <summary>What the server's password callback decides for one login attempt.</summary>
    public enum SshPasswordDecision
    {
        Accept,
        Reject,
        /// <summary>Refuse and show <see cref="SshPasswordCheckResult.Message"/> to the client (e.g. an MFA notice).</summary>
        RejectWithMessage,
        /// <summary>Demand a password change (PASSWD_CHANGEREQ, or "Enter current password" prompts in keyboard-interactive).</summary>
        RequirePasswordChange,
        /// <summary>Drop the connection with "Max logins exceeded." like a single-session card.</summary>
        SessionLimitReached,
    }

    public sealed class SshPasswordCheckResult
    {
        private SshPasswordCheckResult(SshPasswordDecision decision, string? message)
        {
            Decision = decision;
            Message = message;
        }

        public SshPasswordDecision Decision { get; }
        public string? Message { get; }

        public static SshPasswordCheckResult Accept() => new SshPasswordCheckResult(SshPasswordDecision.Accept, null);
        public static SshPasswordCheckResult Reject() => new SshPasswordCheckResult(SshPasswordDecision.Reject, null);
        public static SshPasswordCheckResult RejectWithMessage(string message) => new SshPasswordCheckResult(SshPasswordDecision.RejectWithMessage, message);
        public static SshPasswordCheckResult RequirePasswordChange(string? prompt = null) => new SshPasswordCheckResult(SshPasswordDecision.RequirePasswordChange, prompt);
        public static SshPasswordCheckResult SessionLimitReached(string message = "Max logins exceeded.") => new SshPasswordCheckResult(SshPasswordDecision.SessionLimitReached, message);
    }

    /// <summary>One login attempt, as handed to the password callback.</summary>
    public sealed class SshPasswordCheckContext
    {
        internal SshPasswordCheckContext(string userName, string password, EndPoint? remoteEndPoint, string method)
        {
            UserName = userName;
            Password = password;
            RemoteEndPoint = remoteEndPoint;
            Method = method;
        }

        public string UserName { get; }
        public string Password { get; }
        public EndPoint? RemoteEndPoint { get; }

        /// <summary>"password" or "keyboard-interactive".</summary>
        public string Method { get; }
    }
}
