using System;
using System.Collections.Generic;
using SecureNmc.Simulator.Cards;

namespace SecureNmc.Simulator.Rendering
{
    /// <summary>A consistent snapshot of a card, taken under its lock, from which files are rendered.</summary>
    public sealed class CardRenderContext
    {
        public CardRenderContext(CardProfile profile, IReadOnlyList<CardEvent> eventsNewestFirst, DateTime now, DateTime bootTime, bool ftpEnabled, int ftpPort, int sshPort, string userName, string userRole)
        {
            Profile = profile;
            Events = eventsNewestFirst;
            Now = now;
            BootTime = bootTime;
            FtpEnabled = ftpEnabled;
            FtpPort = ftpPort;
            SshPort = sshPort;
            UserName = userName;
            UserRole = userRole;
        }

        public CardProfile Profile { get; }
        public IReadOnlyList<CardEvent> Events { get; }
        public DateTime Now { get; }
        public DateTime BootTime { get; }
        public bool FtpEnabled { get; }
        public int FtpPort { get; }
        public int SshPort { get; }
        public string UserName { get; }
        public string UserRole { get; }

        public const string DateFormat = "MM/dd/yyyy";
        public const string TimeFormat = "HH:mm:ss";

        /// <summary>"0 Days 1 Hour 15 Minutes" as the banner and <c>about</c> print uptime.</summary>
        public string Uptime
        {
            get
            {
                var up = Now - BootTime;
                if (up < TimeSpan.Zero) up = TimeSpan.Zero;
                return $"{up.Days} Days {up.Hours} Hour{(up.Hours == 1 ? "" : "s")} {up.Minutes} Minute{(up.Minutes == 1 ? "" : "s")}";
            }
        }
    }
}
