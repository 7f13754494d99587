<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ErrorPanel</name>
    <message numerus="yes">
        <source>%n task(s) put right by a later run</source>
        <translation>
            <numerusform>%n task put right by a later run</numerusform>
            <numerusform>%n tasks put right by a later run</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Loading</name>
    <message numerus="yes">
        <source>Loaded %Ln completed task(s).</source>
        <translation>
            <numerusform>Loaded %Ln completed task.</numerusform>
            <numerusform>Loaded %Ln completed tasks.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped loading: %Ln task(s) loaded; they stay in the table.</source>
        <translation>
            <numerusform>Stopped loading: %Ln task loaded; it stays in the table.</numerusform>
            <numerusform>Stopped loading: %Ln tasks loaded; they stay in the table.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Task {id} is the highlighted row; your selection of %Ln task(s) is kept (Ctrl+click the problem to add the task to it).</source>
        <translation>
            <numerusform>Task {id} is the highlighted row; your selection of %Ln task is kept (Ctrl+click the problem to add the task to it).</numerusform>
            <numerusform>Task {id} is the highlighted row; your selection of %Ln tasks is kept (Ctrl+click the problem to add the task to it).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{selected}, %Ln hidden by filters</source>
        <translation>
            <numerusform>{selected}, %Ln hidden by filters</numerusform>
            <numerusform>{selected}, %Ln hidden by filters</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln task(s)</source>
        <translation>
            <numerusform>%Ln task</numerusform>
            <numerusform>%Ln tasks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RunHistory</name>
    <message numerus="yes">
        <source>Saved %Ln task(s) of the run to {path}.</source>
        <translation>
            <numerusform>Saved %Ln task of the run to {path}.</numerusform>
            <numerusform>Saved %Ln tasks of the run to {path}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Runs</name>
    <message numerus="yes">
        <source>Checking %Ln task(s) on the portal before reopening…</source>
        <translation>
            <numerusform>Checking %Ln task on the portal before reopening…</numerusform>
            <numerusform>Checking %Ln tasks on the portal before reopening…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Asking the portal about %Ln task(s)…</source>
        <translation>
            <numerusform>Asking the portal about %Ln task…</numerusform>
            <numerusform>Asking the portal about %Ln tasks…</numerusform>
        </translation>
    </message>
</context>
</TS>
