using System;
using System.Globalization;
using System.Net.Sockets;
using SecureNmc.Core.Devices;

namespace SecureNmc.Simulator.Hosting
{
    /// <summary>
    /// Picks the ports simulated cards listen on. A real NMC3 only lets its SSH/FTP port be 22/21 or
    /// 5000-32768, and the product warns about any other port, so a "free port" is never the operating
    /// system's pick (ephemeral ports are 32768+ on Linux, 49152+ on Windows): it is a random port in
    /// 5000-32768, tried until one binds. Random candidates keep parallel test runs (many fleets in many
    /// processes) from racing for the same port; a collision simply tries the next candidate.
    /// </summary>
    public sealed class CardPortChooser
    {
        public const int Minimum = DevicePort.CardConfigurableMinimum;
        public const int Maximum = DevicePort.CardConfigurableMaximum;

        /// <summary>Candidates tried before giving up on finding a free port.</summary>
        public const int MaxAttempts = 100;

        private readonly Func<int> _nextCandidate;

        /// <param name="nextCandidate">The next port to try (tests pass a scripted sequence); must stay in 5000-32768.</param>
        public CardPortChooser(Func<int> nextCandidate)
        {
            _nextCandidate = nextCandidate ?? throw new ArgumentNullException(nameof(nextCandidate));
        }

        /// <summary>Random candidates from 5000-32768; safe to use from many threads.</summary>
        public static CardPortChooser Random { get; } = new CardPortChooser(RandomCandidates());

        /// <summary>
        /// Binds on exactly <paramref name="port"/>, or throws <see cref="SimulatorPortInUseException"/>
        /// naming it (a port the user asked for is never swapped for another silently).
        /// </summary>
        /// <param name="create">Makes the (not yet started) server for a port.</param>
        /// <param name="start">Binds and listens; throws <see cref="SocketException"/> when the port is taken.</param>
        public T BindExactly<T>(int port, string service, string address, Func<int, T> create, Action<T> start) where T : IDisposable
        {
            if (TryBind(port, create, start, out var server, out var taken)) return server!;
            throw new SimulatorPortInUseException(service, address, port, taken!);
        }

        /// <summary>
        /// Binds on <paramref name="preferred"/> when it is free within <paramref name="attempts"/> tries
        /// <paramref name="retryDelay"/> apart (a listener closed a moment ago), otherwise on a free port in
        /// 5000-32768. <paramref name="preferred"/> 0 goes straight to a free port.
        /// </summary>
        public T BindPreferring<T>(int preferred, int attempts, TimeSpan retryDelay, string service, string address, Func<int, T> create, Action<T> start) where T : IDisposable
        {
            if (preferred != 0)
                for (int attempt = 0; attempt < attempts; attempt++)
                {
                    if (attempt > 0) System.Threading.Thread.Sleep(retryDelay);
                    if (TryBind(preferred, create, start, out var server, out _)) return server!;
                }
            return BindAny(service, address, create, start);
        }

        /// <summary>Binds on a free port in 5000-32768, trying up to <see cref="MaxAttempts"/> candidates.</summary>
        public T BindAny<T>(string service, string address, Func<int, T> create, Action<T> start) where T : IDisposable
        {
            SocketException? last = null;
            for (int attempt = 0; attempt < MaxAttempts; attempt++)
            {
                int candidate = _nextCandidate();
                if (candidate < Minimum || candidate > Maximum)
                    throw new InvalidOperationException($"Port candidate {candidate} is outside {Minimum}-{Maximum}.");
                if (TryBind(candidate, create, start, out var server, out var taken)) return server!;
                last = taken;
            }
            throw new SimulatorPortInUseException(service, address,
                $"No free {service} port in {Minimum}-{Maximum} on {address} after {MaxAttempts.ToString(CultureInfo.InvariantCulture)} tries. " +
                "Stop other simulators (Stop-NmcSimulator) or programs listening on loopback.", last);
        }

        /// <summary>True and the started server, or false and the "port taken" error; other socket errors propagate.</summary>
        private static bool TryBind<T>(int port, Func<int, T> create, Action<T> start, out T? server, out SocketException? taken) where T : IDisposable
        {
            server = create(port);
            taken = null;
            try
            {
                start(server);
                return true;
            }
            catch (SocketException ex) when (IsTaken(ex))
            {
                server.Dispose();
                server = default;
                taken = ex;
                return false;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        /// <summary>In use, or reserved (Windows excludes port ranges for Hyper-V and answers "access denied").</summary>
        private static bool IsTaken(SocketException ex) =>
            ex.SocketErrorCode == SocketError.AddressAlreadyInUse || ex.SocketErrorCode == SocketError.AccessDenied;

        private static Func<int> RandomCandidates()
        {
            // Seeded from a GUID: on .NET Framework new Random() seeds from the clock, and parallel test
            // processes started in the same tick would then try the same ports in the same order.
            var random = new System.Random(Guid.NewGuid().GetHashCode());
            var gate = new object();
            return () =>
            {
                lock (gate) return random.Next(Minimum, Maximum + 1);
            };
        }
    }
}
