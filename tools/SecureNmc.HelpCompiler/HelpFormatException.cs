using System;

namespace SecureNmc.HelpCompiler
{
    /// <summary>A help file that cannot become MAML; the message names the file, line and what to fix.</summary>
    internal sealed class HelpFormatException : Exception
    {
        public HelpFormatException(string file, int line, string problem)
            : base($"{file}({line}): {problem}")
        {
            File = file;
            Line = line;
        }

        public string File { get; }
        public int Line { get; }
    }
}
