using SecureNmc.Core.Ftp;
using System;
using System.Threading;

namespace SecureNmc.Simulator.Ftp.Server
{
    /// <summary>
    /// Misbehaviours of real cards the simulator can switch on at any time (thread-safe; read at the
    /// moment each command runs).
    /// </summary>
    public sealed class FtpServerFaults
    {
        private int neverOpenDataConnection;
        private long dropAfterBytes = -1;
        private long replyDelayTicks;

        /// <summary>Reply "150 ..." to RETR/STOR/LIST and then never use the data connection (a firewall, seen from the client).</summary>
        public bool NeverOpenDataConnection
        {
            get => Volatile.Read(ref neverOpenDataConnection) != 0;
            set => Volatile.Write(ref neverOpenDataConnection, value ? 1 : 0);
        }

        /// <summary>Reset the control and data connections once this many bytes of a transfer have moved; -1 = off.</summary>
        public long DropConnectionAfterBytes
        {
            get => Interlocked.Read(ref dropAfterBytes);
            set => Interlocked.Exchange(ref dropAfterBytes, value);
        }

        /// <summary>Wait this long before every reply (a slow card).</summary>
        public TimeSpan ReplyDelay
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref replyDelayTicks));
            set => Interlocked.Exchange(ref replyDelayTicks, value.Ticks < 0 ? 0 : value.Ticks);
        }
    }
}
