using SecureNmc.Core.Ftp;
using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Simulator.Ftp.Server
{
    /// <summary>What a logged-in user may do. Cards give Administrators upload rights; Device and Read-Only users may only read.</summary>
    public enum FtpPermission
    {
        ReadOnly = 0,
        ReadWrite = 1,
    }

    /// <summary>A login attempt handed to the authentication callback. Never log <see cref="Password"/>.</summary>
    public sealed class FtpLoginRequest
    {
        public FtpLoginRequest(string userName, string password, IPEndPoint remoteEndPoint, int otherLoggedInSessions)
        {
            UserName = userName;
            Password = password;
            RemoteEndPoint = remoteEndPoint;
            OtherLoggedInSessions = otherLoggedInSessions;
        }

        public string UserName { get; }
        public string Password { get; }
        public IPEndPoint RemoteEndPoint { get; }

        /// <summary>Sessions of this server that are logged in right now, this one excluded: the basis of a session limit.</summary>
        public int OtherLoggedInSessions { get; }
    }

    /// <summary>The callback's answer to a login attempt.</summary>
    public sealed class FtpLoginDecision
    {
        private FtpLoginDecision(int replyCode, string message, FtpPermission permission, bool closeConnection)
        {
            ReplyCode = replyCode;
            Message = message;
            Permission = permission;
            CloseConnection = closeConnection;
        }

        public int ReplyCode { get; }
        public string Message { get; }
        public FtpPermission Permission { get; }
        public bool CloseConnection { get; }
        public bool IsAccepted => ReplyCode == 230;

        /// <summary>230: logged in with the given rights.</summary>
        public static FtpLoginDecision Accept(FtpPermission permission, string message = "User logged in, proceed.") =>
            new FtpLoginDecision(230, message, permission, false);

        /// <summary>530 with the given text (wrong password, or a custom text such as an MFA notice); the client may try again.</summary>
        public static FtpLoginDecision Reject(string message = "Login incorrect.") =>
            new FtpLoginDecision(530, message, FtpPermission.ReadOnly, false);

        /// <summary>421 with the given text, then the connection is closed: what a card with its one session in use does.</summary>
        public static FtpLoginDecision Disconnect(string message = "Max logins exceeded.") =>
            new FtpLoginDecision(421, message, FtpPermission.ReadOnly, true);

        /// <summary>The card's single-session refusal: "421 Max logins exceeded." and hang up.</summary>
        public static FtpLoginDecision SessionLimitReached() => Disconnect("Max logins exceeded.");
    }

    /// <summary>Decides a login. Runs on the session's task; may be asynchronous.</summary>
    public delegate Task<FtpLoginDecision> FtpAuthenticationCallback(FtpLoginRequest request, CancellationToken cancellationToken);

    /// <summary>Who is asking, for the file system's decisions.</summary>
    public sealed class FtpSessionInfo
    {
        public FtpSessionInfo(string userName, FtpPermission permission, IPEndPoint remoteEndPoint)
        {
            UserName = userName;
            Permission = permission;
            RemoteEndPoint = remoteEndPoint;
        }

        public string UserName { get; }
        public FtpPermission Permission { get; }
        public IPEndPoint RemoteEndPoint { get; }
    }

    /// <summary>A file as listed to clients.</summary>
    public sealed class FtpFileEntry
    {
        public FtpFileEntry(string name, long size, DateTime lastModifiedUtc)
        {
            Name = name;
            Size = size;
            LastModifiedUtc = lastModifiedUtc;
        }

        public string Name { get; }
        public long Size { get; }
        public DateTime LastModifiedUtc { get; }
    }

    /// <summary>The file system's verdict on a received upload.</summary>
    public sealed class FtpUploadResult
    {
        private FtpUploadResult(int replyCode, string message)
        {
            ReplyCode = replyCode;
            Message = message;
        }

        public int ReplyCode { get; }
        public string Message { get; }
        public bool IsAccepted => ReplyCode == 226;

        public static FtpUploadResult Accept(string message = "Transfer complete.") => new FtpUploadResult(226, message);

        /// <summary>Refuses the upload after its bytes arrived, e.g. a firmware image that fails its checks.</summary>
        public static FtpUploadResult Reject(string message, int replyCode = 550)
        {
            if (replyCode < 400 || replyCode > 599) throw new ArgumentOutOfRangeException(nameof(replyCode), "A rejection needs a 4xx or 5xx reply code.");
            return new FtpUploadResult(replyCode, message);
        }
    }

    /// <summary>
    /// The files the server shows, implemented by the caller (the card simulator). Names are relative to the
    /// root with no leading '/' and never contain "..". Any method may throw <see cref="FtpCommandRefusedException"/>
    /// to send a specific refusal.
    /// </summary>
    public interface IFtpFileSystem
    {
        IReadOnlyList<FtpFileEntry> ListRoot(FtpSessionInfo session);

        /// <summary>The entry for a name, or null when there is no such file (SIZE, MDTM, LIST of one file).</summary>
        FtpFileEntry? Find(string name, FtpSessionInfo session);

        /// <summary>A readable stream of the file's bytes (disposed by the server), or null when there is no such file.</summary>
        Stream? OpenRead(string name, FtpSessionInfo session);

        /// <summary>
        /// Receives an upload: <paramref name="content"/> streams the bytes as they arrive and ends at the end of the
        /// file. Only called for users with <see cref="FtpPermission.ReadWrite"/>.
        /// </summary>
        Task<FtpUploadResult> ReceiveUploadAsync(string name, Stream content, FtpSessionInfo session, CancellationToken cancellationToken);
    }

    /// <summary>
    /// Optional: an <see cref="IFtpFileSystem"/> that also implements this can refuse an upload before any byte is
    /// sent (after the permission check, before "150"), e.g. a name that is not a firmware image.
    /// </summary>
    public interface IFtpUploadPrecheck
    {
        /// <summary>Null to go ahead, or the refusal to send instead of "150".</summary>
        FtpUploadResult? CheckUpload(string name, FtpSessionInfo session);
    }

    /// <summary>A new control connection, before the welcome.</summary>
    public sealed class FtpConnectionRequest
    {
        public FtpConnectionRequest(IPEndPoint remoteEndPoint, int otherConnections, int loggedInSessions)
        {
            RemoteEndPoint = remoteEndPoint;
            OtherConnections = otherConnections;
            LoggedInSessions = loggedInSessions;
        }

        public IPEndPoint RemoteEndPoint { get; }

        /// <summary>Control connections already open, this one excluded.</summary>
        public int OtherConnections { get; }

        /// <summary>Sessions that are logged in right now.</summary>
        public int LoggedInSessions { get; }
    }

    /// <summary>
    /// Decides whether a new connection is greeted. Return null to send the normal 220 welcome, or a text to
    /// answer "421 &lt;text&gt;" and hang up (a card that refuses a session before the login, e.g. "Max logins exceeded.").
    /// </summary>
    public delegate string? FtpConnectionGate(FtpConnectionRequest request);

    /// <summary>Thrown by an <see cref="IFtpFileSystem"/> to answer the current command with a specific refusal.</summary>
    public sealed class FtpCommandRefusedException : Exception
    {
        public FtpCommandRefusedException(int replyCode, string message) : base(message)
        {
            if (replyCode < 400 || replyCode > 599) throw new ArgumentOutOfRangeException(nameof(replyCode), "A refusal needs a 4xx or 5xx reply code.");
            ReplyCode = replyCode;
        }

        public int ReplyCode { get; }
    }
}
