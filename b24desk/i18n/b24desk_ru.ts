<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>Cli</name>
    <message>
        <source>reopened</source>
        <translation>возобновлена</translation>
    </message>
    <message>
        <source>already open</source>
        <translation>уже открыта</translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation>не разрешено</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
    <message>
        <source>not attempted</source>
        <translation>не отправлена</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>пропущена</translation>
    </message>
    <message>
        <source>completed again</source>
        <translation>снова завершена</translation>
    </message>
    <message>
        <source>can reopen</source>
        <translation>можно возобновить</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>в очереди</translation>
    </message>
    <message>
        <source>in flight</source>
        <translation>отправлена, ответа нет</translation>
    </message>
    <message>
        <source>{n} reopened</source>
        <translation>возобновлено: {n}</translation>
    </message>
    <message>
        <source>{n} already open</source>
        <translation>уже открыто: {n}</translation>
    </message>
    <message>
        <source>{n} not allowed</source>
        <translation>не разрешено: {n}</translation>
    </message>
    <message>
        <source>{n} failed</source>
        <translation>ошибок: {n}</translation>
    </message>
    <message>
        <source>{n} not attempted</source>
        <translation>не отправлено: {n}</translation>
    </message>
    <message>
        <source>{n} skipped</source>
        <translation>пропущено: {n}</translation>
    </message>
    <message>
        <source>{n} completed again</source>
        <translation>снова завершено: {n}</translation>
    </message>
    <message>
        <source>{n} can be reopened</source>
        <translation>можно возобновить: {n}</translation>
    </message>
    <message>
        <source>{n} queued</source>
        <translation>в очереди: {n}</translation>
    </message>
    <message>
        <source>{n} in flight</source>
        <translation>без ответа: {n}</translation>
    </message>
    <message>
        <source>{prog}: {message}. See &apos;{prog} --help&apos; for the options.</source>
        <translation>{prog}: {message}. Параметры команды: &apos;{prog} --help&apos;.</translation>
    </message>
    <message>
        <source>{text} is not a date: write it as YEAR-MONTH-DAY, such as 2025-03-31</source>
        <translation>{text} — не дата: укажите её как ГОД-МЕСЯЦ-ДЕНЬ, например 2025-03-31</translation>
    </message>
    <message>
        <source>{text} is not an id: ids are whole numbers above 0, such as 17</source>
        <translation>{text} — не номер: номера — целые числа больше 0, например 17</translation>
    </message>
    <message>
        <source>{text} is not a rate preset: use one of {presets}</source>
        <translation>{text} — не режим скорости: укажите один из {presets}</translation>
    </message>
    <message>
        <source>connection</source>
        <translation>подключение</translation>
    </message>
    <message>
        <source>a saved connection profile</source>
        <translation>сохранённый профиль подключения</translation>
    </message>
    <message>
        <source>an incoming webhook URL, or - to read it from standard input (a hidden prompt on a terminal); default: ${env}. ${env} or --webhook - keep the webhook code out of the process list and the shell history</source>
        <translation>адрес входящего вебхука или «-», чтобы прочитать его из стандартного ввода (в терминале — скрытый запрос); по умолчанию: ${env}. ${env} или --webhook - не показывают код вебхука в списке процессов и в истории команд</translation>
    </message>
    <message>
        <source>PEM file of your company&apos;s certificate authority</source>
        <translation>PEM-файл центра сертификации вашей компании</translation>
    </message>
    <message>
        <source>Reopen completed Bitrix24 tasks in bulk. Without a command, opens the window.</source>
        <translation>Массово возобновляет завершённые задачи Битрикс24. Без команды открывает окно.</translation>
    </message>
    <message>
        <source>try everything on a built-in sandbox portal</source>
        <translation>попробовать всё на встроенном демо-портале</translation>
    </message>
    <message>
        <source>check that this installation works (offscreen, no real portal) and exit</source>
        <translation>проверить, что установка работает (без экрана и настоящего портала), и выйти</translation>
    </message>
    <message>
        <source>list the renew and undo runs, newest last</source>
        <translation>показать запуски возобновления и отката, последние внизу</translation>
    </message>
    <message>
        <source>write one line per run as JSON Lines</source>
        <translation>выводить по строке JSON Lines на каждый запуск</translation>
    </message>
    <message>
        <source>complete again the tasks a run reopened</source>
        <translation>снова завершить задачи, которые возобновил запуск</translation>
    </message>
    <message>
        <source>as listed by b24desk journal</source>
        <translation>как в списке b24desk journal</translation>
    </message>
    <message>
        <source>write one line per task as JSON Lines</source>
        <translation>выводить по строке JSON Lines на каждую задачу</translation>
    </message>
    <message>
        <source>save a report of what the portal answers to read-only requests</source>
        <translation>сохранить отчёт о том, что портал отвечает на запросы только для чтения</translation>
    </message>
    <message>
        <source>the report file (JSON)</source>
        <translation>файл отчёта (JSON)</translation>
    </message>
    <message>
        <source>replace the portal&apos;s address in the report</source>
        <translation>скрыть адрес портала в отчёте</translation>
    </message>
    <message>
        <source>saved connections</source>
        <translation>сохранённые подключения</translation>
    </message>
    <message>
        <source>save a webhook connection</source>
        <translation>сохранить подключение через вебхук</translation>
    </message>
    <message>
        <source>the incoming webhook URL, or - to read it from standard input (a hidden prompt on a terminal): --webhook - keeps the webhook code out of the process list and the shell history</source>
        <translation>адрес входящего вебхука или «-», чтобы прочитать его из стандартного ввода (в терминале — скрытый запрос): --webhook - не показывает код вебхука в списке процессов и в истории команд</translation>
    </message>
    <message>
        <source>auto, standard or enterprise</source>
        <translation>auto, standard или enterprise</translation>
    </message>
    <message>
        <source>PEM file of your company&apos;s CA</source>
        <translation>PEM-файл центра сертификации вашей компании</translation>
    </message>
    <message>
        <source>list saved connections</source>
        <translation>показать сохранённые подключения</translation>
    </message>
    <message>
        <source>write one line per profile as JSON Lines</source>
        <translation>выводить по строке JSON Lines на каждый профиль</translation>
    </message>
    <message>
        <source>test a connection</source>
        <translation>проверить подключение</translation>
    </message>
    <message>
        <source>write the verdict as JSON Lines</source>
        <translation>вывести результат проверки в JSON Lines</translation>
    </message>
    <message>
        <source>delete a connection and its secrets</source>
        <translation>удалить подключение и его секреты</translation>
    </message>
    <message>
        <source>list or reopen completed tasks</source>
        <translation>показать или возобновить завершённые задачи</translation>
    </message>
    <message>
        <source>list completed tasks</source>
        <translation>показать завершённые задачи</translation>
    </message>
    <message>
        <source>on or after</source>
        <translation>в этот день или позже</translation>
    </message>
    <message>
        <source>on or before</source>
        <translation>в этот день или раньше</translation>
    </message>
    <message>
        <source>words in the title</source>
        <translation>слова в названии</translation>
    </message>
    <message>
        <source>also list tasks awaiting control (finished, not yet accepted by their creator)</source>
        <translation>также показать задачи, ждущие контроля (выполнены, но ещё не приняты постановщиком)</translation>
    </message>
    <message>
        <source>write one task per line as JSON Lines</source>
        <translation>выводить по строке JSON Lines на каждую задачу</translation>
    </message>
    <message>
        <source>reopen completed tasks</source>
        <translation>возобновить завершённые задачи</translation>
    </message>
    <message>
        <source>ids one per line, or the JSON Lines of tasks list --json (&apos;-&apos;: stdin)</source>
        <translation>номера по одному в строке или JSON Lines из tasks list --json («-»: стандартный ввод)</translation>
    </message>
    <message>
        <source>do not re-read the tasks just before reopening them</source>
        <translation>не перечитывать задачи перед самым возобновлением</translation>
    </message>
    <message>
        <source>give every reopened task this deadline: 2026-12-20 (18:00) or 2026-12-20T18:00</source>
        <translation>дать каждой возобновлённой задаче этот крайний срок: 2026-12-20 (18:00) или 2026-12-20T18:00</translation>
    </message>
    <message>
        <source>move each reopened task&apos;s deadline by 7d, 2w or 1m (1 to 999 units)</source>
        <translation>перенести крайний срок каждой возобновлённой задачи на 7d, 2w или 1m (от 1 до 999 дней, недель или месяцев)</translation>
    </message>
    <message>
        <source>with --deadline or --move-deadline: only for tasks whose deadline has passed</source>
        <translation>вместе с --deadline или --move-deadline: только для задач с прошедшим крайним сроком</translation>
    </message>
    <message>
        <source>add this comment to every reopened task (&quot;Reopened because …&quot;)</source>
        <translation>добавить этот комментарий к каждой возобновлённой задаче («Возобновлена, потому что …»)</translation>
    </message>
    <message>
        <source>only ask the portal whether you may reopen each task, print it and change nothing</source>
        <translation>только спросить портал, можно ли вам возобновить каждую задачу, вывести ответ и ничего не менять</translation>
    </message>
    <message>
        <source>the window is not available yet</source>
        <translation>окно пока недоступно</translation>
    </message>
    <message>
        <source>--demo opens the window on a sandbox portal; for commands, start one with &apos;python -m b24desk.sandbox --port 8080&apos; and pass the URL it prints as --webhook.</source>
        <translation>--demo открывает окно на демо-портале; для команд запустите его командой &apos;python -m b24desk.sandbox --port 8080&apos; и передайте выведенный адрес в --webhook.</translation>
    </message>
    <message>
        <source>b24desk: interrupted.</source>
        <translation>b24desk: прервано.</translation>
    </message>
    <message>
        <source>b24desk: unexpected error ({name}): {error}; details are in {log}.</source>
        <translation>b24desk: непредвиденная ошибка ({name}): {error}; подробности в {log}.</translation>
    </message>
    <message>
        <source>--webhook - and --from - both want standard input: put the task ids in a file or give the webhook in ${env}.</source>
        <translation>--webhook - и --from - оба читают стандартный ввод: запишите номера задач в файл или передайте вебхук в ${env}.</translation>
    </message>
    <message>
        <source>Webhook URL (not shown): </source>
        <translation>Адрес вебхука (не отображается): </translation>
    </message>
    <message>
        <source>The webhook URL could not be read from standard input: pipe it in as text, or set ${env}.</source>
        <translation>Не удалось прочитать адрес вебхука из стандартного ввода: передайте его текстом или задайте ${env}.</translation>
    </message>
    <message>
        <source>--webhook - found no webhook URL on standard input (it was empty or had only blank lines): pipe the URL in (for example from a file), or set ${env}.</source>
        <translation>--webhook - не нашёл адреса вебхука в стандартном вводе (он пуст или в нём только пустые строки): передайте адрес через канал (например, из файла) или задайте ${env}.</translation>
    </message>
    <message>
        <source>On the command line, pass --webhook URL (or set {env}) to connect without saving anything.</source>
        <translation>В командной строке можно указать --webhook URL (или задать {env}), чтобы подключиться, ничего не сохраняя.</translation>
    </message>
    <message>
        <source>b24desk could not read or write its files ({reason}): check free disk space and the permissions of its folder.</source>
        <translation>b24desk не может прочитать или записать свои файлы ({reason}): проверьте свободное место на диске и права на его папку.</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist: choose a file in an existing folder.</source>
        <translation>Папки {folder} не существует: выберите файл в существующей папке.</translation>
    </message>
    <message>
        <source>Saved the diagnostic report to {path}. It holds no secret and no names: send it to whoever supports b24desk for you.</source>
        <translation>Диагностический отчёт сохранён в {path}. В нём нет секретов и имён: отправьте его тому, кто поддерживает b24desk для вас.</translation>
    </message>
    <message>
        <source>Saved the profile &quot;{name}&quot; for {portal}; its webhook code is in the password store. Test it with: b24desk profile check {quoted}</source>
        <translation>Профиль «{name}» для {portal} сохранён; код вебхука — в хранилище паролей. Проверьте его: b24desk profile check {quoted}</translation>
    </message>
    <message>
        <source>There are no saved profiles yet: add one with b24desk profile add NAME --webhook URL.</source>
        <translation>Сохранённых профилей пока нет: добавьте профиль командой b24desk profile add NAME --webhook URL.</translation>
    </message>
    <message>
        <source>(last used)</source>
        <translation>(использован последним)</translation>
    </message>
    <message>
        <source>rate {preset}</source>
        <translation>скорость {preset}</translation>
    </message>
    <message>
        <source>Name the profile to check once, as NAME or as --profile.</source>
        <translation>Укажите проверяемый профиль один раз: как NAME или как --profile.</translation>
    </message>
    <message>
        <source>Removed the profile &quot;{name}&quot; and its secrets from the password store.</source>
        <translation>Профиль «{name}» и его секреты удалены из хранилища паролей.</translation>
    </message>
    <message>
        <source>Removed the profile &quot;{name}&quot;.</source>
        <translation>Профиль «{name}» удалён.</translation>
    </message>
    <message>
        <source>--closed-after {after} is later than --closed-before {before}: swap the dates.</source>
        <translation>--closed-after {after} позже, чем --closed-before {before}: поменяйте даты местами.</translation>
    </message>
    <message>
        <source>Listing completed tasks on {portal}...</source>
        <translation>Получаю завершённые задачи с {portal}...</translation>
    </message>
    <message>
        <source>{n} task so far|{n} tasks so far</source>
        <translation>пока {n} задача|пока {n} задачи|пока {n} задач</translation>
    </message>
    <message>
        <source>Found {n} completed task.|Found {n} completed tasks.</source>
        <translation>Найдена {n} завершённая задача.|Найдено {n} завершённые задачи.|Найдено {n} завершённых задач.</translation>
    </message>
    <message>
        <source>user {id}</source>
        <translation>пользователь {id}</translation>
    </message>
    <message>
        <source>--check reads the tasks, so it cannot go with --no-precheck.</source>
        <translation>--check читает задачи, поэтому его нельзя сочетать с --no-precheck.</translation>
    </message>
    <message>
        <source>Give the task ids either on the command line or with --from, not both.</source>
        <translation>Укажите номера задач либо в командной строке, либо через --from, но не одновременно.</translation>
    </message>
    <message>
        <source>No task ids were given: list them (b24desk tasks renew 12 15 31) or read them from a file with --from FILE.</source>
        <translation>Номера задач не указаны: перечислите их (b24desk tasks renew 12 15 31) или прочитайте из файла через --from FILE.</translation>
    </message>
    <message>
        <source>standard input</source>
        <translation>стандартный ввод</translation>
    </message>
    <message>
        <source>The file {file} is not a text file: give ids one per line.</source>
        <translation>Файл {file} не текстовый: укажите номера по одному в строке.</translation>
    </message>
    <message>
        <source>The file {file} could not be read ({reason}): check its name.</source>
        <translation>Не удалось прочитать файл {file} ({reason}): проверьте имя файла.</translation>
    </message>
    <message>
        <source>line {number}: {problem}</source>
        <translation>строка {number}: {problem}</translation>
    </message>
    <message>
        <source>... and {n} more</source>
        <translation>... и ещё {n}</translation>
    </message>
    <message>
        <source>{n} line of {file} could not be read as task ids, so nothing was renewed:|{n} lines of {file} could not be read as task ids, so nothing was renewed:</source>
        <translation>{n} строку из {file} не удалось прочитать как номер задачи, поэтому ничего не возобновлено:|{n} строки из {file} не удалось прочитать как номера задач, поэтому ничего не возобновлено:|{n} строк из {file} не удалось прочитать как номера задач, поэтому ничего не возобновлено:</translation>
    </message>
    <message>
        <source>{file} has no task ids in it, so nothing was renewed.</source>
        <translation>В {file} нет номеров задач, поэтому ничего не возобновлено.</translation>
    </message>
    <message>
        <source>it starts like JSON but is not valid JSON</source>
        <translation>строка похожа на JSON, но это неверный JSON</translation>
    </message>
    <message>
        <source>the JSON object has no &quot;id&quot;</source>
        <translation>в объекте JSON нет &quot;id&quot;</translation>
    </message>
    <message>
        <source>{text} is not a task id (a whole number above 0)</source>
        <translation>{text} — не номер задачи (нужно целое число больше 0)</translation>
    </message>
    <message>
        <source>Asking {portal} whether you may reopen {n} task...|Asking {portal} whether you may reopen {n} tasks...</source>
        <translation>Спрашиваю {portal}, можно ли вам возобновить {n} задачу...|Спрашиваю {portal}, можно ли вам возобновить {n} задачи...|Спрашиваю {portal}, можно ли вам возобновить {n} задач...</translation>
    </message>
    <message>
        <source>The portal did not answer for this task.</source>
        <translation>Портал не ответил об этой задаче.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>неизвестно</translation>
    </message>
    <message>
        <source>You may reopen {may} of {n} task; nothing was changed.|You may reopen {may} of {n} tasks; nothing was changed.</source>
        <translation>Вы можете возобновить {may} из {n} задачи; ничего не изменено.|Вы можете возобновить {may} из {n} задач; ничего не изменено.|Вы можете возобновить {may} из {n} задач; ничего не изменено.</translation>
    </message>
    <message>
        <source>Give either --deadline or --move-deadline, not both.</source>
        <translation>Укажите либо --deadline, либо --move-deadline, но не оба.</translation>
    </message>
    <message>
        <source>--only-overdue goes with --deadline or --move-deadline.</source>
        <translation>--only-overdue указывается вместе с --deadline или --move-deadline.</translation>
    </message>
    <message>
        <source>reopening: {done} of {total} done</source>
        <translation>возобновление: {done} из {total}</translation>
    </message>
    <message>
        <source>Checking {n} task on {portal}...|Checking {n} tasks on {portal}...</source>
        <translation>Проверяю {n} задачу на {portal}...|Проверяю {n} задачи на {portal}...|Проверяю {n} задач на {portal}...</translation>
    </message>
    <message>
        <source>{n} task&apos;s deadline has passed: it will be overdue as soon as it is reopened (--deadline or --move-deadline gives a new one).|{n} tasks&apos; deadlines have passed: they will be overdue as soon as they are reopened (--deadline or --move-deadline gives new ones).</source>
        <translation>У {n} задачи прошёл крайний срок: сразу после возобновления она будет просрочена (--deadline или --move-deadline задают новый).|У {n} задач прошли крайние сроки: сразу после возобновления они будут просрочены (--deadline или --move-deadline задают новые).|У {n} задач прошли крайние сроки: сразу после возобновления они будут просрочены (--deadline или --move-deadline задают новые).</translation>
    </message>
    <message>
        <source>completed, awaiting the creator&apos;s approval</source>
        <translation>завершена, ждёт приёмки постановщиком</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>ничего</translation>
    </message>
    <message>
        <source>Run {run} (cancelled; {n} task): {outcomes}.|Run {run} (cancelled; {n} tasks): {outcomes}.</source>
        <translation>Запуск {run} (отменён; {n} задача): {outcomes}.|Запуск {run} (отменён; {n} задачи): {outcomes}.|Запуск {run} (отменён; {n} задач): {outcomes}.</translation>
    </message>
    <message>
        <source>Run {run} ({n} task): {outcomes}.|Run {run} ({n} tasks): {outcomes}.</source>
        <translation>Запуск {run} ({n} задача): {outcomes}.|Запуск {run} ({n} задачи): {outcomes}.|Запуск {run} ({n} задач): {outcomes}.</translation>
    </message>
    <message>
        <source>To undo it: b24desk undo {run}</source>
        <translation>Чтобы откатить: b24desk undo {run}</translation>
    </message>
    <message>
        <source>{n} task needs attention (see above).|{n} tasks need attention (see above).</source>
        <translation>{n} задача требует внимания (см. выше).|{n} задачи требуют внимания (см. выше).|{n} задач требуют внимания (см. выше).</translation>
    </message>
    <message>
        <source>Stopping: nothing more is sent; checking what was in flight (press Ctrl+C again to stop at once)...</source>
        <translation>Останавливаюсь: больше ничего не отправляется; проверяю то, что было в пути (нажмите Ctrl+C ещё раз, чтобы остановиться сразу)...</translation>
    </message>
    <message>
        <source>The journal has no runs yet for this portal.</source>
        <translation>В журнале пока нет запусков для этого портала.</translation>
    </message>
    <message>
        <source>The journal has no runs yet.</source>
        <translation>В журнале пока нет запусков.</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>отменён</translation>
    </message>
    <message>
        <source>undoes {run}</source>
        <translation>откатывает {run}</translation>
    </message>
    <message>
        <source>repeats {run}</source>
        <translation>повторяет {run}</translation>
    </message>
    <message>
        <source>{n} task: {outcomes}|{n} tasks: {outcomes}</source>
        <translation>{n} задача: {outcomes}|{n} задачи: {outcomes}|{n} задач: {outcomes}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>undone {at}: {n} task completed again|undone {at}: {n} tasks completed again</source>
        <translation>отменён {at}: {n} задача снова завершена|отменён {at}: {n} задачи снова завершены|отменён {at}: {n} задач снова завершено</translation>
    </message>
    <message>
        <source>, {n} awaiting its creator&apos;s approval|, {n} awaiting their creator&apos;s approval</source>
        <translation>, {n} ждёт приёмки постановщиком|, {n} ждут приёмки постановщиком|, {n} ждут приёмки постановщиком</translation>
    </message>
    <message>
        <source>{n} task has task control and your user is not its creator: it will wait for its creator&apos;s approval unless your user may accept it for them.|{n} tasks have task control and your user is not their creator: they will wait for their creator&apos;s approval unless your user may accept them for their creator.</source>
        <translation>{n} задача под контролем, а ваш пользователь не её постановщик: она будет ждать приёмки постановщиком, если ваш пользователь не может принять её за него.|{n} задачи под контролем, а ваш пользователь не их постановщик: они будут ждать приёмки постановщиками, если ваш пользователь не может принять их за них.|{n} задач под контролем, а ваш пользователь не их постановщик: они будут ждать приёмки постановщиками, если ваш пользователь не может принять их за них.</translation>
    </message>
    <message>
        <source>{n} task has task control: b24desk accepts it for its creator after completing it.|{n} tasks have task control: b24desk accepts them for their creator after completing them.</source>
        <translation>{n} задача под контролем: b24desk примет её за постановщика после завершения.|{n} задачи под контролем: b24desk примет их за постановщиков после завершения.|{n} задач под контролем: b24desk примет их за постановщиков после завершения.</translation>
    </message>
    <message>
        <source>{ids} and {n} more</source>
        <translation>{ids} и ещё {n}</translation>
    </message>
    <message>
        <source>interrupted: check task {ids} in Bitrix24, the run stopped while sending|interrupted: check tasks {ids} in Bitrix24, the run stopped while sending</source>
        <translation>прерван: проверьте задачу {ids} в Битрикс24, запуск остановился во время отправки|прерван: проверьте задачи {ids} в Битрикс24, запуск остановился во время отправки|прерван: проверьте задачи {ids} в Битрикс24, запуск остановился во время отправки</translation>
    </message>
    <message>
        <source>interrupted after its last task: nothing is left to check</source>
        <translation>прерван после последней задачи: проверять нечего</translation>
    </message>
    <message>
        <source>run b24desk undo {run} again</source>
        <translation>выполните b24desk undo {run} ещё раз</translation>
    </message>
    <message>
        <source>renew them again</source>
        <translation>возобновите их снова</translation>
    </message>
    <message>
        <source>interrupted: {n} task never sent, {next}|interrupted: {n} tasks never sent, {next}</source>
        <translation>прерван: {n} задача не отправлена, {next}|прерван: {n} задачи не отправлены, {next}|прерван: {n} задач не отправлены, {next}</translation>
    </message>
    <message>
        <source>There is no run {run} in the journal: list the runs with b24desk journal.</source>
        <translation>В журнале нет запуска {run}: список запусков — b24desk journal.</translation>
    </message>
    <message>
        <source>Run {run} was made on {portal}, but this connection is to {other}: pass --profile or --webhook for {portal}.</source>
        <translation>Запуск {run} выполнен на {portal}, а это подключение к {other}: укажите --profile или --webhook для {portal}.</translation>
    </message>
    <message>
        <source>completing again: {done} of {total} done</source>
        <translation>повторное завершение: {done} из {total}</translation>
    </message>
    <message>
        <source>Completing again the {n} task run {run} reopened...|Completing again the {n} tasks run {run} reopened...</source>
        <translation>Снова завершаю {n} задачу, возобновлённую запуском {run}...|Снова завершаю {n} задачи, возобновлённые запуском {run}...|Снова завершаю {n} задач, возобновлённых запуском {run}...</translation>
    </message>
</context>
<context>
    <name>Confirm</name>
    <message>
        <source>{n} is no longer completed|{n} are no longer completed</source>
        <translation>{n} уже не завершена|{n} уже не завершены|{n} уже не завершены</translation>
    </message>
    <message>
        <source>{n} was deleted or is hidden from you|{n} were deleted or are hidden from you</source>
        <translation>{n} удалена или скрыта от вас|{n} удалены или скрыты от вас|{n} удалены или скрыты от вас</translation>
    </message>
    <message>
        <source>you may not reopen {n} of them|you may not reopen {n} of them</source>
        <translation>{n} из них вам возобновлять нельзя|{n} из них вам возобновлять нельзя|{n} из них вам возобновлять нельзя</translation>
    </message>
    <message>
        <source>{moved} and {missing}; they will be skipped.</source>
        <translation>{moved}, а {missing}; они будут пропущены.</translation>
    </message>
    <message>
        <source>{n} is no longer completed and will be skipped.|{n} are no longer completed and will be skipped.</source>
        <translation>{n} уже не завершена и будет пропущена.|{n} уже не завершены и будут пропущены.|{n} уже не завершены и будут пропущены.</translation>
    </message>
    <message>
        <source>{n} was deleted or is hidden from you and will be skipped.|{n} were deleted or are hidden from you and will be skipped.</source>
        <translation>{n} удалена или скрыта от вас и будет пропущена.|{n} удалены или скрыты от вас и будут пропущены.|{n} удалены или скрыты от вас и будут пропущены.</translation>
    </message>
    <message>
        <source>{first} and {second}</source>
        <translation>{first}, а {second}</translation>
    </message>
    <message>
        <source>none of them is completed any more</source>
        <translation>ни одна из них уже не завершена</translation>
    </message>
    <message>
        <source>Nothing to reopen</source>
        <translation>Нечего возобновлять</translation>
    </message>
    <message>
        <source>None of the {n} selected task can be reopened: {reason}.|None of the {n} selected tasks can be reopened: {reason}.</source>
        <translation>Ни одну из {n} выбранной задачи нельзя возобновить: {reason}.|Ни одну из {n} выбранных задач нельзя возобновить: {reason}.|Ни одну из {n} выбранных задач нельзя возобновить: {reason}.</translation>
    </message>
    <message>
        <source>Click “Load tasks” to see the tasks as they are on the portal now.</source>
        <translation>Нажмите «Загрузить задачи», чтобы увидеть задачи такими, какие они сейчас на портале.</translation>
    </message>
    <message>
        <source>Reopen {n} task?|Reopen {n} tasks?</source>
        <translation>Возобновить {n} задачу?|Возобновить {n} задачи?|Возобновить {n} задач?</translation>
    </message>
    <message>
        <source>{n} is awaiting its creator&apos;s approval: it will be returned for rework, as Bitrix24 lets you do instead of reopening it.|{n} are awaiting their creator&apos;s approval: they will be returned for rework, as Bitrix24 lets you do instead of reopening them.</source>
        <translation>{n} задача ждёт приёмки постановщиком: она будет возвращена на доработку — Битрикс24 разрешает вам это вместо возобновления.|{n} задачи ждут приёмки постановщиками: они будут возвращены на доработку — Битрикс24 разрешает вам это вместо возобновления.|{n} задач ждут приёмки постановщиками: они будут возвращены на доработку — Битрикс24 разрешает вам это вместо возобновления.</translation>
    </message>
    <message>
        <source>You may not reopen {n} of these; it will be left out.|You may not reopen {n} of these; they will be left out.</source>
        <translation>{n} из них вам возобновлять нельзя; она будет пропущена.|{n} из них вам возобновлять нельзя; они будут пропущены.|{n} из них вам возобновлять нельзя; они будут пропущены.</translation>
    </message>
    <message>
        <source>{n} could not be checked now; it will be sent and verified.|{n} could not be checked now; they will be sent and verified.</source>
        <translation>{n} задачу не удалось проверить сейчас; она будет отправлена и проверена.|{n} задачи не удалось проверить сейчас; они будут отправлены и проверены.|{n} задач не удалось проверить сейчас; они будут отправлены и проверены.</translation>
    </message>
    <message>
        <source>Each task goes back to “Pending” for its responsible person, as if someone had clicked “Resume” in Bitrix24.</source>
        <translation>Каждая задача вернётся ответственному в статус «Ждёт выполнения», как будто кто-то нажал «Возобновить» в Битрикс24.</translation>
    </message>
    <message>
        <source>Bitrix24 notifies each task&apos;s members that it was reopened; it offers no way to reopen quietly.</source>
        <translation>Битрикс24 уведомит участников каждой задачи о её возобновлении; возобновить без уведомлений он не позволяет.</translation>
    </message>
    <message>
        <source>If you change your mind, “Undo last run” completes them again.</source>
        <translation>Если передумаете, кнопка «Откатить запуск» снова завершит их.</translation>
    </message>
    <message>
        <source>{ids} and {n} more</source>
        <translation>{ids} и ещё {n}</translation>
    </message>
    <message>
        <source>Skipped: task {ids}.|Skipped: tasks {ids}.</source>
        <translation>Пропускается задача {ids}.|Пропускаются задачи {ids}.|Пропускаются задачи {ids}.</translation>
    </message>
    <message>
        <source>{n} of them has a deadline that has passed: it will be overdue as soon as it is reopened (Bitrix24 counts that against its responsible person).|{n} of them have deadlines that have passed: they will be overdue as soon as they are reopened (Bitrix24 counts that against their responsible people).</source>
        <translation>У {n} из них прошёл крайний срок: сразу после возобновления она будет просрочена (Битрикс24 учтёт это в эффективности ответственного).|У {n} из них прошли крайние сроки: сразу после возобновления они будут просрочены (Битрикс24 учтёт это в эффективности ответственных).|У {n} из них прошли крайние сроки: сразу после возобновления они будут просрочены (Битрикс24 учтёт это в эффективности ответственных).</translation>
    </message>
    <message>
        <source>Not allowed: task {ids}.|Not allowed: tasks {ids}.</source>
        <translation>Не разрешено: задача {ids}.|Не разрешено: задачи {ids}.|Не разрешено: задачи {ids}.</translation>
    </message>
    <message>
        <source>Your Bitrix24 user is not an administrator: tasks it may not change will be reported as “Not allowed” and left as they are.</source>
        <translation>Ваш пользователь Битрикс24 не администратор: задачи, которые ему нельзя менять, будут отмечены как «Не разрешено» и останутся как есть.</translation>
    </message>
    <message>
        <source>Reopen tasks</source>
        <translation>Возобновление задач</translation>
    </message>
    <message>
        <source>Reopen {n} task|Reopen {n} tasks</source>
        <translation>Возобновить {n} задачу|Возобновить {n} задачи|Возобновить {n} задач</translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation>Нечего откатывать</translation>
    </message>
    <message>
        <source>None of the {n} task the run reopened can be completed again: it has changed since, or is gone.|None of the {n} tasks the run reopened can be completed again: they have changed since, or are gone.</source>
        <translation>Ни одну из {n} задачи, возобновлённой запуском, нельзя снова завершить: она с тех пор изменилась или удалена.|Ни одну из {n} задач, возобновлённых запуском, нельзя снова завершить: они с тех пор изменились или удалены.|Ни одну из {n} задач, возобновлённых запуском, нельзя снова завершить: они с тех пор изменились или удалены.</translation>
    </message>
    <message>
        <source>Complete again the {n} task this run reopened?|Complete again the {n} tasks this run reopened?</source>
        <translation>Снова завершить {n} задачу, которую возобновил этот запуск?|Снова завершить {n} задачи, которые возобновил этот запуск?|Снова завершить {n} задач, которые возобновил этот запуск?</translation>
    </message>
    <message>
        <source>Complete again the {n} task these {runs} runs reopened?|Complete again the {n} tasks these {runs} runs reopened?</source>
        <translation>Снова завершить {n} задачу, которую возобновили эти запуски ({runs})?|Снова завершить {n} задачи, которые возобновили эти запуски ({runs})?|Снова завершить {n} задач, которые возобновили эти запуски ({runs})?</translation>
    </message>
    <message>
        <source>{n} has changed since and will be left as it is.|{n} have changed since and will be left as they are.</source>
        <translation>{n} задача с тех пор изменилась и останется как есть.|{n} задачи с тех пор изменились и останутся как есть.|{n} задач с тех пор изменились и останутся как есть.</translation>
    </message>
    <message>
        <source>{n} has task control and you are not its creator: it will wait for its creator&apos;s approval, unless your user may accept it for them.|{n} have task control and you are not their creator: they will wait for their creator&apos;s approval, unless your user may accept them for the creator.</source>
        <translation>{n} задача под контролем, а вы не её постановщик: она будет ждать приёмки постановщиком, если ваш пользователь не может принять её за него.|{n} задачи под контролем, а вы не их постановщик: они будут ждать приёмки постановщиками, если ваш пользователь не может принять их за них.|{n} задач под контролем, а вы не их постановщик: они будут ждать приёмки постановщиками, если ваш пользователь не может принять их за них.</translation>
    </message>
    <message>
        <source>{n} has task control: b24desk accepts it for its creator, so it ends completed as it was.|{n} have task control: b24desk accepts them for their creator, so they end completed as they were.</source>
        <translation>{n} задача под контролем: b24desk примет её за постановщика, и она снова будет завершена, как была.|{n} задачи под контролем: b24desk примет их за постановщиков, и они снова будут завершены, как были.|{n} задач под контролем: b24desk примет их за постановщиков, и они снова будут завершены, как были.</translation>
    </message>
    <message>
        <source>Undo the run</source>
        <translation>Откат запуска</translation>
    </message>
    <message>
        <source>Left as they are: task {ids}.|Left as they are: tasks {ids}.</source>
        <translation>Останется как есть задача {ids}.|Останутся как есть задачи {ids}.|Останутся как есть задачи {ids}.</translation>
    </message>
    <message>
        <source>Tasks that someone has changed since they were reopened are left as they are, so nobody&apos;s new work is lost.</source>
        <translation>Задачи, которые кто-то изменил после возобновления, останутся как есть, чтобы ничья новая работа не пропала.</translation>
    </message>
    <message>
        <source>Complete {n} task again|Complete {n} tasks again</source>
        <translation>Снова завершить {n} задачу|Снова завершить {n} задачи|Снова завершить {n} задач</translation>
    </message>
</context>
<context>
    <name>Connecting</name>
    <message>
        <source>demo sandbox</source>
        <translation>демо-портал</translation>
    </message>
    <message>
        <source>Saved the connection “{name}”. Choose it under Connection &gt; Switch to when the current operation has finished.</source>
        <translation>Подключение «{name}» сохранено. Выберите его в меню Подключение &gt; Переключиться на, когда текущая операция завершится.</translation>
    </message>
    <message>
        <source>Remove the connection</source>
        <translation>Удаление подключения</translation>
    </message>
    <message>
        <source>Remove the connection “{name}”?</source>
        <translation>Удалить подключение «{name}»?</translation>
    </message>
    <message>
        <source>b24desk forgets its address and deletes its secret from the password store. Nothing changes on the portal, and the history of runs stays.</source>
        <translation>b24desk забудет его адрес и удалит его секрет из хранилища паролей. На портале ничего не изменится, история запусков сохранится.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Removed the connection “{name}”.</source>
        <translation>Подключение «{name}» удалено.</translation>
    </message>
</context>
<context>
    <name>Connection</name>
    <message>
        <source>The portal {portal} offers no way to reopen tasks through its REST interface, which happens only on very old Bitrix24 versions: update the portal, then check again.</source>
        <translation>Портал {portal} не даёт возобновлять задачи через REST API — так бывает только на очень старых версиях Битрикс24: обновите портал и проверьте ещё раз.</translation>
    </message>
    <message>
        <source>Connected to {portal} as {user} (administrator).</source>
        <translation>Подключено к {portal} как {user} (администратор).</translation>
    </message>
    <message>
        <source>Connected to {portal} as {user} (not an administrator, so only tasks this user may change can be reopened).</source>
        <translation>Подключено к {portal} как {user} (не администратор, поэтому возобновить можно только задачи, которые этому пользователю разрешено менять).</translation>
    </message>
    <message>
        <source>Ready to reopen tasks (with the older method this portal version offers).</source>
        <translation>Можно возобновлять задачи (старым способом, который есть в этой версии портала).</translation>
    </message>
    <message>
        <source>Ready to reopen tasks.</source>
        <translation>Можно возобновлять задачи.</translation>
    </message>
    <message>
        <source>The application on the portal {portal} lacks the Tasks (task) permission: add it to the local application&apos;s permissions in Bitrix24, then sign in again.</source>
        <translation>У приложения на портале {portal} нет права «Задачи (task)»: добавьте его в права локального приложения в Битрикс24 и войдите снова.</translation>
    </message>
    <message>
        <source>The sign-in to the portal {portal} is no longer valid (it expired, or the application was removed or its secret changed): sign in to the portal again.</source>
        <translation>Вход на портал {portal} больше недействителен (истёк срок, приложение удалено или изменён его ключ): войдите на портал снова.</translation>
    </message>
    <message>
        <source>Bitrix24 support has blocked REST access to the portal {portal} because of overload, and retrying will not help: contact Bitrix24 support.</source>
        <translation>Поддержка Битрикс24 заблокировала REST-доступ к порталу {portal} из-за перегрузки, повторы не помогут: обратитесь в поддержку Битрикс24.</translation>
    </message>
    <message>
        <source>The secure connection to the portal {portal} could not be verified, so nothing was sent to it: check that the address starts with https:// and is your portal&apos;s, and if the portal runs on your company&apos;s own server, add its certificate authority file to the connection.</source>
        <translation>Не удалось проверить защищённое соединение с порталом {portal}, поэтому ничего не отправлено: проверьте, что адрес начинается с https:// и это адрес вашего портала, а если портал работает на собственном сервере компании, добавьте к подключению файл её центра сертификации.</translation>
    </message>
    <message>
        <source>Nothing answers at the address {portal}: check the address and this computer&apos;s internet connection, and if the portal runs on your company&apos;s own server, that it is switched on.</source>
        <translation>По адресу {portal} никто не отвечает: проверьте адрес и подключение компьютера к интернету, а если портал работает на собственном сервере компании — что сервер включён.</translation>
    </message>
    <message>
        <source>The connection to the portal {portal} broke off before it answered: check this computer&apos;s internet connection, then try again.</source>
        <translation>Соединение с порталом {portal} оборвалось до ответа: проверьте подключение компьютера к интернету и попробуйте снова.</translation>
    </message>
    <message>
        <source>Something went wrong while talking to the portal {portal} ({detail}): try again later.</source>
        <translation>Что-то пошло не так при обмене данными с порталом {portal} ({detail}): попробуйте позже.</translation>
    </message>
    <message>
        <source>The webhook works, but it lacks the Tasks (task) permission: in Bitrix24 open {place}, edit this webhook, add Tasks (task) to its permissions, save, and check again.</source>
        <translation>Вебхук работает, но у него нет права «Задачи (task)»: в Битрикс24 откройте {place}, измените этот вебхук, добавьте в его права «Задачи (task)», сохраните и проверьте ещё раз.</translation>
    </message>
    <message>
        <source>Developer resources (under Applications in newer portals) &gt; Other &gt; Inbound webhook</source>
        <translation>«Разработчикам» (в новых порталах — в меню «Приложения») → «Другое» → «Входящий вебхук»</translation>
    </message>
    <message>
        <source>The portal {portal} did not accept this webhook, so its code is wrong or the webhook was deleted or has expired: in Bitrix24 open {place}, copy the webhook URL again (or create a new webhook) and add it again.</source>
        <translation>Портал {portal} не принял этот вебхук: код неверен, либо вебхук удалён или истёк. В Битрикс24 откройте {place}, снова скопируйте адрес вебхука (или создайте новый вебхук) и добавьте его заново.</translation>
    </message>
    <message>
        <source>The portal {portal} does not allow webhooks or applications on its current plan, because Bitrix24 offers them only on commercial plans: upgrade the portal&apos;s plan, then check again.</source>
        <translation>Портал {portal} не разрешает вебхуки и приложения на текущем тарифе — Битрикс24 даёт их только на коммерческих тарифах: смените тариф портала и проверьте ещё раз.</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>причина не указана</translation>
    </message>
    <message>
        <source>The portal {portal} refused access ({detail}): ask the portal&apos;s administrator to check this user&apos;s and this webhook&apos;s rights.</source>
        <translation>Портал {portal} отказал в доступе ({detail}): попросите администратора портала проверить права этого пользователя и этого вебхука.</translation>
    </message>
    <message>
        <source>The portal {portal} has been deleted or closed: check the address, or ask Bitrix24 support if it should still exist.</source>
        <translation>Портал {portal} удалён или закрыт: проверьте адрес или спросите поддержку Битрикс24, должен ли он ещё работать.</translation>
    </message>
    <message>
        <source>The portal {portal} is refusing requests because it received too many of them (from b24desk or other applications): wait a few minutes, then try again.</source>
        <translation>Портал {portal} отклоняет запросы, потому что получил их слишком много (от b24desk или других приложений): подождите несколько минут и попробуйте снова.</translation>
    </message>
    <message>
        <source>The portal {portal} had an internal error: try again in a few minutes, and contact Bitrix24 support if it keeps happening.</source>
        <translation>На портале {portal} произошла внутренняя ошибка: попробуйте через несколько минут, а если повторится — обратитесь в поддержку Битрикс24.</translation>
    </message>
    <message>
        <source>The portal {portal} reported a problem ({detail}): check the connection settings, and try again later.</source>
        <translation>Портал {portal} сообщил о проблеме ({detail}): проверьте настройки подключения и попробуйте позже.</translation>
    </message>
    <message>
        <source>The address {portal} does not exist on the internet: check it for typing mistakes (it looks like yourcompany.bitrix24.com) and that this computer is online.</source>
        <translation>Адреса {portal} нет в интернете: проверьте, нет ли в нём опечаток (он выглядит как yourcompany.bitrix24.ru), и что компьютер подключён к интернету.</translation>
    </message>
    <message>
        <source>The portal {portal} did not answer in time: check this computer&apos;s internet connection, then try again in a few minutes.</source>
        <translation>Портал {portal} не ответил вовремя: проверьте подключение компьютера к интернету и попробуйте через несколько минут.</translation>
    </message>
    <message>
        <source>The address {portal} sent b24desk to a sign-in or other web page instead of answering as a Bitrix24 portal: check that it is your portal&apos;s address and that the webhook URL was copied completely.</source>
        <translation>Адрес {portal} отправил b24desk на страницу входа или другую веб-страницу вместо ответа портала Битрикс24: проверьте, что это адрес вашего портала и что адрес вебхука скопирован полностью.</translation>
    </message>
    <message>
        <source>The portal {portal} answered with an error page (HTTP {status}): it may be briefly unavailable, so try again in a few minutes.</source>
        <translation>Портал {portal} ответил страницей ошибки (HTTP {status}): возможно, он ненадолго недоступен, попробуйте через несколько минут.</translation>
    </message>
    <message>
        <source>The address {portal} answered, but not like a Bitrix24 portal: check that it is your portal&apos;s address and that the whole webhook URL was copied.</source>
        <translation>Адрес {portal} ответил, но не как портал Битрикс24: проверьте, что это адрес вашего портала и что адрес вебхука скопирован целиком.</translation>
    </message>
    <message>
        <source>user #{id}</source>
        <translation>пользователь №{id}</translation>
    </message>
    <message>
        <source>an unnamed user</source>
        <translation>пользователь без имени</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <source>Stopping: nothing more is sent; the window closes once what was on its way is checked (a few seconds).</source>
        <translation>Останавливаюсь: больше ничего не отправляется; окно закроется, как только будет проверено то, что уже было в пути (несколько секунд).</translation>
    </message>
</context>
<context>
    <name>Deadline</name>
    <message>
        <source>{text} is not a deadline: write it as 2026-12-20 or 2026-12-20T18:00.</source>
        <translation>{text} — не крайний срок: напишите его как 2026-12-20 или 2026-12-20T18:00.</translation>
    </message>
    <message>
        <source>{text} is not a move: write a number from 1 to 999 and d, w or m, such as 7d, 2w or 1m.</source>
        <translation>{text} — не перенос: напишите число от 1 до 999 и d, w или m, например 7d, 2w или 1m.</translation>
    </message>
</context>
<context>
    <name>DeskState</name>
    <message>
        <source>Wait until the current operation has finished.</source>
        <translation>Дождитесь окончания текущей операции.</translation>
    </message>
</context>
<context>
    <name>Diagnose</name>
    <message>
        <source>b24desk {version} diagnostic report, made {when} on {os}.</source>
        <translation>Диагностический отчёт b24desk {version}, составлен {when} в {os}.</translation>
    </message>
    <message>
        <source>Portal: {host} ({auth}), plan: {plan}.</source>
        <translation>Портал: {host} ({auth}), тариф: {plan}.</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>не сообщается</translation>
    </message>
    <message>
        <source>{n} read-only request: {ok} answered, {errors} refused, {unexpected} unexpected, {failed} without an answer.|{n} read-only requests: {ok} answered, {errors} refused, {unexpected} unexpected, {failed} without an answer.</source>
        <translation>{n} запрос только для чтения: ответов {ok}, отказов {errors}, неожиданных {unexpected}, без ответа {failed}.|{n} запроса только для чтения: ответов {ok}, отказов {errors}, неожиданных {unexpected}, без ответа {failed}.|{n} запросов только для чтения: ответов {ok}, отказов {errors}, неожиданных {unexpected}, без ответа {failed}.</translation>
    </message>
    <message>
        <source>{probe}: an answer b24desk did not expect ({what})</source>
        <translation>{probe}: ответ, которого b24desk не ожидал ({what})</translation>
    </message>
    <message>
        <source>{probe}: no answer ({what})</source>
        <translation>{probe}: нет ответа ({what})</translation>
    </message>
    <message>
        <source>{probe}: refused ({what})</source>
        <translation>{probe}: отказ ({what})</translation>
    </message>
    <message>
        <source>Nothing in this file is secret: no webhook code, no token, no task title or description, no person&apos;s name.</source>
        <translation>В этом файле нет ничего секретного: ни кода вебхука, ни токена, ни названия или описания задачи, ни имени человека.</translation>
    </message>
</context>
<context>
    <name>DiagnosticReport</name>
    <message>
        <source>Connect to the portal first.</source>
        <translation>Сначала подключитесь к порталу.</translation>
    </message>
    <message>
        <source>Save a diagnostic report</source>
        <translation>Сохранить диагностический отчёт</translation>
    </message>
    <message>
        <source>Hide your portal&apos;s address ({portal}) in the report?</source>
        <translation>Скрыть адрес вашего портала ({portal}) в отчёте?</translation>
    </message>
    <message>
        <source>The report records what the portal answers to a few requests that change nothing. It never holds the webhook code, tokens, task titles or people&apos;s names.</source>
        <translation>В отчёт записывается, что портал отвечает на несколько запросов, которые ничего не меняют. В нём никогда не бывает кода вебхука, токенов, названий задач и имён людей.</translation>
    </message>
    <message>
        <source>Hide the address</source>
        <translation>Скрыть адрес</translation>
    </message>
    <message>
        <source>Could not write {path} ({reason}): choose another folder or file name.</source>
        <translation>Не удалось записать {path} ({reason}): выберите другую папку или имя файла.</translation>
    </message>
    <message>
        <source>Saved the diagnostic report to {path}. It holds no secret and no names: send it to whoever supports b24desk for you.</source>
        <translation>Диагностический отчёт сохранён в {path}. В нём нет секретов и имён: отправьте его тому, кто поддерживает b24desk для вас.</translation>
    </message>
    <message>
        <source>Asking the portal for the diagnostic report…</source>
        <translation>Собираю ответы портала для диагностического отчёта…</translation>
    </message>
</context>
<context>
    <name>ErrorPanel</name>
    <message>
        <source>Problems</source>
        <translation>Проблемы</translation>
    </message>
    <message>
        <source>List of problems</source>
        <translation>Список проблем</translation>
    </message>
    <message>
        <source>No problems so far. If loading or renewing a task fails, the task, the reason and the time appear here.</source>
        <translation>Проблем пока нет. Если загрузка или возобновление задачи не удастся, здесь появятся задача, причина и время.</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Скопировать</translation>
    </message>
    <message>
        <source>Copy the selected problems (or all of them) as text, e.g. for a support request. Webhook codes and tokens are never included.</source>
        <translation>Скопировать выбранные проблемы (или все) текстом, например для обращения в поддержку. Коды вебхуков и токены не копируются.</translation>
    </message>
    <message>
        <source>Save a diagnostic report…</source>
        <translation>Сохранить диагностический отчёт…</translation>
    </message>
    <message>
        <source>The portal gave an answer b24desk did not expect: save a report of what it answers (no secrets, no names) to send to whoever supports b24desk for you.</source>
        <translation>Портал ответил так, как b24desk не ожидал: сохраните отчёт о его ответах (без секретов и имён), чтобы отправить тому, кто поддерживает b24desk для вас.</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>Очистить</translation>
    </message>
    <message>
        <source>Remove every entry from this list</source>
        <translation>Удалить все записи из списка</translation>
    </message>
    <message>
        <source>The selected problem in full</source>
        <translation>Выбранная проблема полностью</translation>
    </message>
    <message>
        <source>Tasks that failed and that a later run (e.g. “Retry failed”) reopened: they are no longer listed.</source>
        <translation>Задачи, которые не удалось возобновить, но позже возобновил другой запуск (например, «Повторить неудачные»): их больше нет в списке.</translation>
    </message>
    <message>
        <source>Problems ({n})</source>
        <translation>Проблемы ({n})</translation>
    </message>
    <message numerus="yes">
        <source>%n task(s) put right by a later run</source>
        <translation>
            <numerusform>%n задача исправлена следующим запуском</numerusform>
            <numerusform>%n задачи исправлены следующим запуском</numerusform>
            <numerusform>%n задач исправлено следующим запуском</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a line to read it in full. Each line is one cause with what to do about it; open it to see its tasks.</source>
        <translation>Выберите строку, чтобы прочитать её полностью. Каждая строка — одна причина и что с ней делать; раскройте её, чтобы увидеть задачи.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Something went wrong while talking to the Bitrix24 portal. Try again.</source>
        <translation>Что-то пошло не так при обмене данными с порталом Битрикс24. Попробуйте снова.</translation>
    </message>
    <message>
        <source>Could not reach the Bitrix24 portal. Check the portal address and your internet connection.</source>
        <translation>Не удалось связаться с порталом Битрикс24. Проверьте адрес портала и подключение к интернету.</translation>
    </message>
    <message>
        <source>The Bitrix24 portal did not answer in time. Try again in a few minutes.</source>
        <translation>Портал Битрикс24 не ответил вовремя. Попробуйте через несколько минут.</translation>
    </message>
    <message>
        <source>The connection to the Bitrix24 portal broke off. Try again.</source>
        <translation>Соединение с порталом Битрикс24 оборвалось. Попробуйте снова.</translation>
    </message>
    <message>
        <source>The portal&apos;s security certificate could not be verified. If your company runs its own Bitrix24 server, add its certificate authority file in the connection settings.</source>
        <translation>Не удалось проверить сертификат безопасности портала. Если Битрикс24 вашей компании работает на собственном сервере, добавьте файл её центра сертификации в настройки подключения.</translation>
    </message>
    <message>
        <source>The portal answered with an error page (HTTP {status}) instead of data. It may be briefly unavailable; try again later.</source>
        <translation>Портал ответил страницей ошибки (HTTP {status}) вместо данных. Возможно, он ненадолго недоступен; попробуйте позже.</translation>
    </message>
    <message>
        <source>The address answered with a web page (HTTP {status}) instead of Bitrix24 data. Check that it is your Bitrix24 portal or webhook URL.</source>
        <translation>По адресу открылась веб-страница (HTTP {status}) вместо данных Битрикс24. Проверьте, что это адрес вашего портала Битрикс24 или вебхука.</translation>
    </message>
    <message>
        <source>The portal&apos;s answer was cut off or garbled. Try again.</source>
        <translation>Ответ портала оборван или повреждён. Попробуйте снова.</translation>
    </message>
    <message>
        <source>This address does not look like a Bitrix24 REST endpoint: it redirects to another page, or the portal has moved. Check the portal address or webhook URL.</source>
        <translation>Этот адрес не похож на REST-адрес Битрикс24: он перенаправляет на другую страницу или портал переехал. Проверьте адрес портала или вебхука.</translation>
    </message>
    <message>
        <source>Bitrix24 reported an error ({detail}): try again later, and ask your Bitrix24 administrator if it keeps happening.</source>
        <translation>Битрикс24 сообщил об ошибке ({detail}): попробуйте позже, а если повторится — обратитесь к администратору Битрикс24.</translation>
    </message>
    <message>
        <source>The portal is receiving too many requests at the moment. Wait a minute and try again.</source>
        <translation>Портал сейчас получает слишком много запросов. Подождите минуту и попробуйте снова.</translation>
    </message>
    <message>
        <source>this operation</source>
        <translation>эта операция</translation>
    </message>
    <message>
        <source>it will be available again at {time}</source>
        <translation>оно снова станет доступно в {time}</translation>
    </message>
    <message>
        <source>try again in about ten minutes</source>
        <translation>попробуйте примерно через десять минут</translation>
    </message>
    <message>
        <source>{what} is temporarily blocked by Bitrix24 because it used too much server time: {then}.</source>
        <translation>{what}: Битрикс24 временно заблокировал это действие, потому что оно израсходовало слишком много серверного времени; {then}.</translation>
    </message>
    <message>
        <source>The portal did not accept the sign-in. Check the connection settings.</source>
        <translation>Портал не принял вход. Проверьте настройки подключения.</translation>
    </message>
    <message>
        <source>The portal rejected the webhook or its user. Check the webhook URL, or create a new incoming webhook in Bitrix24 and paste its address.</source>
        <translation>Портал отклонил вебхук или его пользователя. Проверьте адрес вебхука или создайте в Битрикс24 новый входящий вебхук и вставьте его адрес.</translation>
    </message>
    <message>
        <source>The Bitrix24 sign-in has expired. Sign in again.</source>
        <translation>Срок входа в Битрикс24 истёк. Войдите снова.</translation>
    </message>
    <message>
        <source>The Bitrix24 sign-in is no longer valid. Sign in again.</source>
        <translation>Вход в Битрикс24 больше недействителен. Войдите снова.</translation>
    </message>
    <message>
        <source>The webhook or app lacks a permission this needs. In Bitrix24, edit the webhook and add the Tasks (task) permission, then try again.</source>
        <translation>Вебхуку или приложению не хватает нужного права. В Битрикс24 измените вебхук, добавьте право «Задачи (task)» и попробуйте снова.</translation>
    </message>
    <message>
        <source>this request</source>
        <translation>этот запрос</translation>
    </message>
    <message>
        <source>The portal does not support {what} through its REST API: it may be an older Bitrix24 version, or the webhook lacks the permission for it, so check the webhook&apos;s permissions in Bitrix24.</source>
        <translation>Портал не поддерживает {what} через REST API: возможно, это старая версия Битрикс24 или у вебхука нет нужного права — проверьте права вебхука в Битрикс24.</translation>
    </message>
    <message>
        <source>Bitrix24 did not allow this action on the task: it may no longer be completed, may have been deleted, or your user lacks rights to it.</source>
        <translation>Битрикс24 не разрешил это действие с задачей: возможно, она уже не завершена, удалена или у вашего пользователя нет на неё прав.</translation>
    </message>
    <message>
        <source>Bitrix24 support has blocked REST access to this portal because of overload. Retrying will not help; contact Bitrix24 support.</source>
        <translation>Поддержка Битрикс24 заблокировала REST-доступ к этому порталу из-за перегрузки. Повторы не помогут — обратитесь в поддержку Битрикс24.</translation>
    </message>
    <message>
        <source>The portal denied access ({detail}): ask your Bitrix24 administrator to check the rights of this user and this webhook.</source>
        <translation>Портал отказал в доступе ({detail}): попросите администратора Битрикс24 проверить права этого пользователя и этого вебхука.</translation>
    </message>
    <message>
        <source>The portal denied access: ask your Bitrix24 administrator to check the rights of this user and this webhook.</source>
        <translation>Портал отказал в доступе: попросите администратора Битрикс24 проверить права этого пользователя и этого вебхука.</translation>
    </message>
    <message>
        <source>Webhooks and apps (REST) are only available on commercial Bitrix24 plans. Upgrade the portal&apos;s plan to use b24desk.</source>
        <translation>Вебхуки и приложения (REST) доступны только на коммерческих тарифах Битрикс24. Чтобы пользоваться b24desk, смените тариф портала.</translation>
    </message>
    <message>
        <source>This Bitrix24 portal has been deleted or closed.</source>
        <translation>Этот портал Битрикс24 удалён или закрыт.</translation>
    </message>
    <message>
        <source>The Bitrix24 portal had an internal error. Try again later.</source>
        <translation>На портале Битрикс24 произошла внутренняя ошибка. Попробуйте позже.</translation>
    </message>
    <message>
        <source>reopening tasks</source>
        <translation>возобновление задач</translation>
    </message>
    <message>
        <source>completing tasks</source>
        <translation>завершение задач</translation>
    </message>
    <message>
        <source>listing tasks</source>
        <translation>получение списка задач</translation>
    </message>
    <message>
        <source>reading tasks</source>
        <translation>чтение задач</translation>
    </message>
    <message>
        <source>reading your user profile</source>
        <translation>чтение вашего профиля</translation>
    </message>
    <message>
        <source>reading users</source>
        <translation>чтение пользователей</translation>
    </message>
    <message>
        <source>reading the portal&apos;s plan</source>
        <translation>чтение тарифа портала</translation>
    </message>
    <message>
        <source>reading the webhook&apos;s permissions</source>
        <translation>чтение прав вебхука</translation>
    </message>
    <message>
        <source>checking which methods the portal offers</source>
        <translation>проверка доступных методов портала</translation>
    </message>
    <message>
        <source>sending several requests at once</source>
        <translation>отправка нескольких запросов сразу</translation>
    </message>
    <message>
        <source>a later time</source>
        <translation>более позднее время</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>Task ID</source>
        <translation>ID задачи</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Результат</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Error code</source>
        <translation>Код ошибки</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Unknown (the run stopped while it was being sent)</source>
        <translation>Неизвестно (запуск остановился во время отправки)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Файлы JSON (*.json)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Search title or task ID</source>
        <translation>Поиск по названию или ID</translation>
    </message>
    <message>
        <source>Closed from</source>
        <translation>Закрыта с</translation>
    </message>
    <message>
        <source>Only show tasks completed between these two days</source>
        <translation>Показывать только задачи, завершённые в эти дни</translation>
    </message>
    <message>
        <source>Closed on or after</source>
        <translation>Закрыта в этот день или позже</translation>
    </message>
    <message>
        <source>Closed on or before</source>
        <translation>Закрыта в этот день или раньше</translation>
    </message>
    <message>
        <source>to</source>
        <comment>the end of a date range</comment>
        <translation>по</translation>
    </message>
    <message>
        <source>Responsible person</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Choose a person, or type part of a name to find one; “Me” is you</source>
        <translation>Выберите человека или введите часть имени, чтобы найти его; «Я» — это вы</translation>
    </message>
    <message>
        <source>Type a name</source>
        <translation>Введите имя</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Любой</translation>
    </message>
    <message>
        <source>Me</source>
        <comment>the connection&apos;s own user</comment>
        <translation>Я</translation>
    </message>
    <message>
        <source>Responsible:</source>
        <translation>Ответственный:</translation>
    </message>
    <message>
        <source>Group or project</source>
        <translation>Группа или проект</translation>
    </message>
    <message>
        <source>All groups</source>
        <translation>Все группы</translation>
    </message>
    <message>
        <source>No group</source>
        <translation>Без группы</translation>
    </message>
    <message>
        <source>Group:</source>
        <translation>Группа:</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Сбросить фильтры</translation>
    </message>
    <message>
        <source>Show all loaded tasks again</source>
        <translation>Снова показать все загруженные задачи</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>
&lt;h3&gt;What b24desk does&lt;/h3&gt;
&lt;p&gt;b24desk reopens (&quot;renews&quot;) many completed Bitrix24 tasks at once, and tells you what
happened to each one. Nothing on the portal changes until you click &lt;b&gt;Renew selected&lt;/b&gt;
and confirm.&lt;/p&gt;
&lt;h3&gt;What a webhook is&lt;/h3&gt;
&lt;p&gt;An &lt;b&gt;incoming webhook&lt;/b&gt; is a private address your portal gives out so that a program
can work with it as the user who created it. It looks like
&lt;code&gt;https://yourcompany.bitrix24.com/rest/1/abc123xyz/&lt;/code&gt;. The last part is a secret
code: treat the whole address like a password. b24desk keeps it in your computer&apos;s password
store, never in a file.&lt;/p&gt;
</source>
        <translation>
&lt;h3&gt;Что делает b24desk&lt;/h3&gt;
&lt;p&gt;b24desk возобновляет сразу много завершённых задач Битрикс24 и показывает, что
произошло с каждой. На портале ничего не меняется, пока вы не нажмёте &lt;b&gt;Возобновить
выбранные&lt;/b&gt; и не подтвердите.&lt;/p&gt;
&lt;h3&gt;Что такое вебхук&lt;/h3&gt;
&lt;p&gt;&lt;b&gt;Входящий вебхук&lt;/b&gt; — это закрытый адрес, который выдаёт ваш портал, чтобы программа
могла работать с ним от имени создавшего его пользователя. Он выглядит так:
&lt;code&gt;https://yourcompany.bitrix24.ru/rest/1/abc123xyz/&lt;/code&gt;. Последняя часть — секретный
код: обращайтесь со всем адресом как с паролем. b24desk хранит его в хранилище паролей
компьютера и никогда — в файле.&lt;/p&gt;
</translation>
    </message>
    <message>
        <source>
&lt;h3&gt;How to make one (about two minutes)&lt;/h3&gt;
&lt;ol&gt;
&lt;li&gt;Open your portal in the browser, signed in as an administrator.&lt;/li&gt;
&lt;li&gt;Open &lt;b&gt;Developer resources&lt;/b&gt; (under &lt;b&gt;Applications&lt;/b&gt; in newer portals), then
&lt;b&gt;Other&lt;/b&gt;, then &lt;b&gt;Inbound webhook&lt;/b&gt;.&lt;/li&gt;
&lt;li&gt;Under &lt;b&gt;Assign permissions&lt;/b&gt;, add &lt;b&gt;Tasks (task)&lt;/b&gt;. Nothing else is needed.&lt;/li&gt;
&lt;li&gt;Click &lt;b&gt;Save&lt;/b&gt; and copy the address shown as &lt;b&gt;Webhook to call REST API&lt;/b&gt;.&lt;/li&gt;
&lt;li&gt;In b24desk choose &lt;b&gt;Connection &amp;gt; Set up a connection…&lt;/b&gt;, paste the address, click
&lt;b&gt;Test connection&lt;/b&gt;, then &lt;b&gt;Save and connect&lt;/b&gt;.&lt;/li&gt;
&lt;/ol&gt;
&lt;p&gt;Tasks are reopened with the rights of the user who made the webhook: an administrator&apos;s
webhook can reopen every completed task, another user&apos;s only the tasks that user may
change.&lt;/p&gt;
</source>
        <translation>
&lt;h3&gt;Как его создать (около двух минут)&lt;/h3&gt;
&lt;ol&gt;
&lt;li&gt;Откройте портал в браузере под учётной записью администратора.&lt;/li&gt;
&lt;li&gt;Откройте &lt;b&gt;Разработчикам&lt;/b&gt; (в новых порталах — в меню &lt;b&gt;Приложения&lt;/b&gt;), затем
&lt;b&gt;Другое&lt;/b&gt;, затем &lt;b&gt;Входящий вебхук&lt;/b&gt;.&lt;/li&gt;
&lt;li&gt;В разделе &lt;b&gt;Настройка прав&lt;/b&gt; добавьте &lt;b&gt;Задачи (task)&lt;/b&gt;. Больше ничего не нужно.&lt;/li&gt;
&lt;li&gt;Нажмите &lt;b&gt;Сохранить&lt;/b&gt; и скопируйте адрес из поля &lt;b&gt;Вебхук для вызова rest api&lt;/b&gt;.&lt;/li&gt;
&lt;li&gt;В b24desk выберите &lt;b&gt;Подключение &amp;gt; Настроить подключение…&lt;/b&gt;, вставьте адрес, нажмите
&lt;b&gt;Проверить подключение&lt;/b&gt;, затем &lt;b&gt;Сохранить и подключиться&lt;/b&gt;.&lt;/li&gt;
&lt;/ol&gt;
&lt;p&gt;Задачи возобновляются с правами пользователя, создавшего вебхук: вебхук администратора
может возобновить любую завершённую задачу, вебхук другого пользователя — только задачи,
которые этот пользователь может менять.&lt;/p&gt;
</translation>
    </message>
    <message>
        <source>What each result means</source>
        <translation>Что означает каждый результат</translation>
    </message>
    <message>
        <source>The task was completed and is open again now.</source>
        <translation>Задача была завершена и теперь снова открыта.</translation>
    </message>
    <message>
        <source>Someone had reopened it already; b24desk left it as it was.</source>
        <translation>Кто-то уже открыл её снова; b24desk оставил её как есть.</translation>
    </message>
    <message>
        <source>Left out on purpose: it was no longer completed when b24desk checked it just before renewing (for an undo: someone had changed it since), so it was not touched.</source>
        <translation>Пропущена намеренно: при проверке перед возобновлением она уже не была завершена (при откате — её с тех пор кто-то изменил), поэтому её не трогали.</translation>
    </message>
    <message>
        <source>The webhook&apos;s user may not change this task (or it was deleted). An administrator&apos;s webhook can reopen it.</source>
        <translation>Пользователю вебхука нельзя менять эту задачу (или она удалена). Вебхук администратора может её возобновить.</translation>
    </message>
    <message>
        <source>The portal refused or did not answer; the reason is shown in the row and in the Problems panel. “Retry failed” tries these again.</source>
        <translation>Портал отказал или не ответил; причина видна в строке и на панели проблем. «Повторить неудачные» пробует их снова.</translation>
    </message>
    <message>
        <source>The run was cancelled before this task&apos;s turn; nothing was changed.</source>
        <translation>Запуск отменили раньше, чем дошла очередь этой задачи; ничего не изменено.</translation>
    </message>
    <message>
        <source>“Undo last run” completed the task again.</source>
        <translation>«Откатить запуск» снова завершил задачу.</translation>
    </message>
    <message>
        <source>“Check first” asked the portal: you may reopen this task. Nothing was changed yet.</source>
        <translation>«Сначала проверить» спросил портал: эту задачу вам возобновить можно. Пока ничего не изменено.</translation>
    </message>
    <message>
        <source>
&lt;h3&gt;Trying things safely&lt;/h3&gt;
&lt;p&gt;Every run is written to a journal as it happens. &lt;b&gt;Undo last run&lt;/b&gt; rolls a run back: it
completes again the tasks the run reopened, unless someone changed them since. &lt;b&gt;Tasks &amp;gt;
History of runs&lt;/b&gt; lists earlier runs and exports their results to a spreadsheet.&lt;/p&gt;
&lt;p&gt;To look around first, choose &lt;b&gt;Try the demo portal&lt;/b&gt; in the setup window: a built-in
sandbox with made-up tasks, where nothing real is touched.&lt;/p&gt;
</source>
        <translation>
&lt;h3&gt;Как пробовать без риска&lt;/h3&gt;
&lt;p&gt;Каждый запуск по ходу записывается в журнал. &lt;b&gt;Откатить запуск&lt;/b&gt; возвращает запуск назад:
снова завершает задачи, которые он возобновил, если их с тех пор никто не менял. &lt;b&gt;Задачи &amp;gt;
История запусков&lt;/b&gt; показывает прошлые запуски и выгружает их результаты в таблицу.&lt;/p&gt;
&lt;p&gt;Чтобы сначала осмотреться, нажмите в окне настройки &lt;b&gt;Попробовать на демо-портале&lt;/b&gt;:
это встроенный демо-портал с вымышленными задачами, где ничего настоящего не затрагивается.&lt;/p&gt;
</translation>
    </message>
    <message>
        <source>Getting started with b24desk</source>
        <translation>Как начать работу с b24desk</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Started</source>
        <translation>Начало</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Что</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Задач</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>Возобновлено</translation>
    </message>
    <message>
        <source>Completed again</source>
        <translation>Снова завершено</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>Не разрешено</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибки</translation>
    </message>
    <message>
        <source>Skipped or left</source>
        <translation>Пропущено</translation>
    </message>
    <message>
        <source>How it ended</source>
        <translation>Итог</translation>
    </message>
    <message>
        <source>Renew</source>
        <translation>Возобновление</translation>
    </message>
    <message>
        <source>Retry of failed</source>
        <translation>Повтор неудачных</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Откат</translation>
    </message>
    <message>
        <source>Interrupted (b24desk stopped during the run)</source>
        <translation>Прерван (b24desk остановился во время запуска)</translation>
    </message>
    <message>
        <source>Undone: {n} completed again|Undone: {n} completed again</source>
        <translation>Отменён: завершено {n}|Отменён: завершено {n}|Отменён: завершено {n}</translation>
    </message>
    <message>
        <source>, {n} awaiting approval|, {n} awaiting approval</source>
        <translation>, ждут приёмки {n}|, ждут приёмки {n}|, ждут приёмки {n}</translation>
    </message>
    <message>
        <source>{what} ({when})</source>
        <translation>{what} ({when})</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменён</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Завершён</translation>
    </message>
    <message>
        <source>Run {run}, following run {parent}</source>
        <translation>Запуск {run}, после запуска {parent}</translation>
    </message>
    <message>
        <source>Run {run}</source>
        <translation>Запуск {run}</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>No runs yet. Every renew, retry and undo you do is listed here.</source>
        <translation>Запусков пока нет. Здесь будет каждое возобновление, повтор и откат.</translation>
    </message>
    <message>
        <source>History of runs</source>
        <translation>История запусков</translation>
    </message>
    <message>
        <source>Loading the journal…</source>
        <translation>Чтение журнала…</translation>
    </message>
    <message>
        <source>Runs, newest first</source>
        <translation>Запуски, новые сверху</translation>
    </message>
    <message>
        <source>Undo this run…</source>
        <translation>Откатить запуск…</translation>
    </message>
    <message>
        <source>Complete again the tasks this run reopened (you confirm first)</source>
        <translation>Снова завершить задачи, которые возобновил этот запуск (сначала вы подтвердите)</translation>
    </message>
    <message>
        <source>Export to CSV…</source>
        <translation>Экспорт в CSV…</translation>
    </message>
    <message>
        <source>Save every task of this run with its outcome, reason and time, for Excel</source>
        <translation>Сохранить все задачи запуска с результатом, причиной и временем — для Excel</translation>
    </message>
    <message>
        <source>Runs on {portal}, newest first. Select one to undo it or to export its results.</source>
        <translation>Запуски на {portal}, новые сверху. Выберите запуск, чтобы откатить его или выгрузить результаты.</translation>
    </message>
    <message>
        <source>Runs, newest first. Select one to undo it or to export its results.</source>
        <translation>Запуски, новые сверху. Выберите запуск, чтобы откатить его или выгрузить результаты.</translation>
    </message>
    <message>
        <source>Times are this computer&apos;s local time ({zone}).</source>
        <translation>Время указано по часам этого компьютера ({zone}).</translation>
    </message>
</context>
<context>
    <name>Jobs</name>
    <message>
        <source>Run {run} is itself an undo; to reopen those tasks again, renew them.</source>
        <translation>Запуск {run} сам является откатом; чтобы снова открыть эти задачи, возобновите их.</translation>
    </message>
    <message>
        <source>Run {run} was made on {portal}: connect to that portal to undo it.</source>
        <translation>Запуск {run} сделан на портале {portal}: подключитесь к нему, чтобы откатить запуск.</translation>
    </message>
    <message>
        <source>Run {run} has already been undone ({when}).</source>
        <translation>Запуск {run} уже отменён ({when}).</translation>
    </message>
    <message>
        <source>Run {run} has already been undone.</source>
        <translation>Запуск {run} уже откачен.</translation>
    </message>
    <message>
        <source>Run {run} reopened no tasks, so there is nothing to undo.</source>
        <translation>Запуск {run} не возобновил ни одной задачи, откатывать нечего.</translation>
    </message>
</context>
<context>
    <name>Journal</name>
    <message>
        <source>b24desk cannot write its journal at {path} ({reason}). Free some disk space or check the folder&apos;s permissions, then try again.</source>
        <translation>b24desk не может записать журнал в {path} ({reason}). Освободите место на диске или проверьте права на папку и попробуйте снова.</translation>
    </message>
    <message>
        <source>b24desk cannot read its journal at {path} ({reason}). Check the file and its folder&apos;s permissions, then try again.</source>
        <translation>b24desk не может прочитать журнал в {path} ({reason}). Проверьте файл и права на его папку и попробуйте снова.</translation>
    </message>
</context>
<context>
    <name>Keyring</name>
    <message>
        <source>No password store is available on this computer (install and unlock GNOME Keyring or KWallet, or sign in to a desktop session that provides one), so b24desk cannot keep this connection&apos;s secret: {offer}</source>
        <translation>На этом компьютере нет хранилища паролей (установите и разблокируйте GNOME Keyring или KWallet либо войдите в сеанс рабочего стола, где оно есть), поэтому b24desk не может сохранить секрет этого подключения: {offer}</translation>
    </message>
    <message>
        <source>The password store is locked or the request to unlock it was refused (unlock GNOME Keyring or KWallet and try again), so b24desk cannot keep this connection&apos;s secret: {offer}</source>
        <translation>Хранилище паролей заблокировано или запрос на разблокировку отклонён (разблокируйте GNOME Keyring или KWallet и попробуйте снова), поэтому b24desk не может сохранить секрет этого подключения: {offer}</translation>
    </message>
    <message>
        <source>The active password store ({detail}) keeps passwords in a file that is not safely encrypted, so b24desk will not use it (use GNOME Keyring or KWallet, or remove the keyrings.alt package): {offer}</source>
        <translation>Текущее хранилище паролей ({detail}) хранит пароли в файле без надёжного шифрования, поэтому b24desk его не использует (используйте GNOME Keyring или KWallet либо удалите пакет keyrings.alt): {offer}</translation>
    </message>
    <message>
        <source>The password store did not work ({detail}), so b24desk cannot keep this connection&apos;s secret (check that GNOME Keyring or KWallet is running and unlocked, then try again): {offer}</source>
        <translation>Хранилище паролей не сработало ({detail}), поэтому b24desk не может сохранить секрет этого подключения (проверьте, что GNOME Keyring или KWallet запущен и разблокирован, и попробуйте снова): {offer}</translation>
    </message>
    <message>
        <source>you can use this connection for this session only, and b24desk will forget its secret when it closes.</source>
        <translation>можно использовать это подключение только в этом сеансе — b24desk забудет секрет при закрытии.</translation>
    </message>
    <message>
        <source>it could not be opened</source>
        <translation>его не удалось открыть</translation>
    </message>
</context>
<context>
    <name>Loading</name>
    <message>
        <source>Loading completed tasks…</source>
        <translation>Загрузка завершённых задач…</translation>
    </message>
    <message>
        <source>Loading tasks… {done} of {total}</source>
        <translation>Загрузка задач… {done} из {total}</translation>
    </message>
    <message>
        <source>Loading tasks… {done}</source>
        <translation>Загрузка задач… {done}</translation>
    </message>
    <message numerus="yes">
        <source>Loaded %Ln completed task(s).</source>
        <translation>
            <numerusform>Загружена %Ln завершённая задача.</numerusform>
            <numerusform>Загружено %Ln завершённые задачи.</numerusform>
            <numerusform>Загружено %Ln завершённых задач.</numerusform>
        </translation>
    </message>
    <message>
        <source>Select the ones to reopen (Ctrl+A selects all shown), then click “Renew selected”.</source>
        <translation>Выделите задачи для возобновления (Ctrl+A выделяет все показанные) и нажмите «Возобновить выбранные».</translation>
    </message>
    <message numerus="yes">
        <source>Stopped loading: %Ln task(s) loaded; they stay in the table.</source>
        <translation>
            <numerusform>Загрузка остановлена: загружена %Ln задача, она остаётся в таблице.</numerusform>
            <numerusform>Загрузка остановлена: загружено %Ln задачи, они остаются в таблице.</numerusform>
            <numerusform>Загрузка остановлена: загружено %Ln задач, они остаются в таблице.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>No tasks loaded yet.

Click “Load tasks” to fetch the completed tasks from your Bitrix24 portal. Nothing on the portal changes until you choose “Renew selected”.</source>
        <translation>Задачи ещё не загружены.

Нажмите «Загрузить задачи», чтобы получить завершённые задачи с портала Битрикс24. На портале ничего не изменится, пока вы не нажмёте «Возобновить выбранные».</translation>
    </message>
    <message>
        <source>Loading completed tasks…</source>
        <translation>Загрузка завершённых задач…</translation>
    </message>
    <message>
        <source>The portal has no completed tasks that this connection&apos;s user can see.

Only completed tasks can be reopened. Click “Load tasks” to look again later.</source>
        <translation>На портале нет завершённых задач, которые видит пользователь этого подключения.

Возобновить можно только завершённые задачи. Нажмите «Загрузить задачи», чтобы проверить позже.</translation>
    </message>
    <message>
        <source>No loaded task matches the filters.

Click “Clear filters” to see all tasks.</source>
        <translation>Ни одна загруженная задача не подходит под фильтры.

Нажмите «Сбросить фильтры», чтобы увидеть все задачи.</translation>
    </message>
    <message>
        <source>Not connected to a Bitrix24 portal yet.

Choose Connection &gt; “Set up a connection…” (Ctrl+,) and paste your portal&apos;s incoming webhook address.</source>
        <translation>Нет подключения к порталу Битрикс24.

Выберите «Подключение» → «Настроить подключение…» (Ctrl+,) и вставьте адрес входящего вебхука вашего портала.</translation>
    </message>
    <message>
        <source>Connecting to the portal…</source>
        <translation>Подключение к порталу…</translation>
    </message>
    <message>
        <source>Load tasks</source>
        <translation>Загрузить задачи</translation>
    </message>
    <message>
        <source>Fetch the completed tasks from the portal</source>
        <translation>Получить завершённые задачи с портала</translation>
    </message>
    <message>
        <source>Stop loading</source>
        <translation>Остановить</translation>
    </message>
    <message>
        <source>Stop fetching tasks; the ones already loaded stay</source>
        <translation>Остановить загрузку; уже загруженные задачи останутся</translation>
    </message>
    <message>
        <source>Renew selected</source>
        <translation>Возобновить выбранные</translation>
    </message>
    <message>
        <source>Reopen the selected tasks on the portal (you confirm first)</source>
        <translation>Возобновить выбранные задачи на портале (сначала вы подтвердите)</translation>
    </message>
    <message>
        <source>Include tasks awaiting control</source>
        <translation>Включая задачи, ждущие контроля</translation>
    </message>
    <message>
        <source>Also load tasks finished but not yet accepted by their creator; they are reopened or returned for rework, whichever Bitrix24 allows you</source>
        <translation>Загружать и задачи, выполненные, но ещё не принятые постановщиком; они будут возобновлены или возвращены на доработку — как разрешит вам Битрикс24</translation>
    </message>
    <message>
        <source>Check first</source>
        <translation>Сначала проверить</translation>
    </message>
    <message>
        <source>Ask the portal whether you may reopen each selected task; nothing is changed</source>
        <translation>Спросить портал, можно ли вам возобновить каждую выбранную задачу; ничего не меняется</translation>
    </message>
    <message>
        <source>Cancel renewal</source>
        <translation>Прервать</translation>
    </message>
    <message>
        <source>Stop renewing; tasks already reopened stay reopened</source>
        <translation>Прервать возобновление; уже возобновлённые задачи останутся возобновлёнными</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>Повторить неудачные</translation>
    </message>
    <message>
        <source>Try again to reopen the tasks that failed</source>
        <translation>Ещё раз попробовать возобновить задачи, которые не удалось возобновить</translation>
    </message>
    <message>
        <source>Undo last run</source>
        <translation>Откатить запуск</translation>
    </message>
    <message>
        <source>Complete again the tasks the last run reopened</source>
        <translation>Снова завершить задачи, которые возобновил последний запуск</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>Выделить все</translation>
    </message>
    <message>
        <source>Select every task shown</source>
        <translation>Выделить все показанные задачи</translation>
    </message>
    <message>
        <source>Select none</source>
        <translation>Снять выделение</translation>
    </message>
    <message>
        <source>Clear the selection</source>
        <translation>Снять выделение со всех задач</translation>
    </message>
    <message>
        <source>Invert selection</source>
        <translation>Обратить выделение</translation>
    </message>
    <message>
        <source>Select the shown tasks that are not selected, and unselect the others</source>
        <translation>Выделить невыделенные показанные задачи и снять выделение с остальных</translation>
    </message>
    <message>
        <source>Copy task IDs</source>
        <translation>Скопировать ID задач</translation>
    </message>
    <message>
        <source>Copy the selected task numbers</source>
        <translation>Скопировать номера выделенных задач</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Поиск</translation>
    </message>
    <message>
        <source>Search the loaded tasks</source>
        <translation>Искать среди загруженных задач</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Сбросить фильтры</translation>
    </message>
    <message>
        <source>Show all loaded tasks again</source>
        <translation>Снова показать все загруженные задачи</translation>
    </message>
    <message>
        <source>History of runs…</source>
        <translation>История запусков…</translation>
    </message>
    <message>
        <source>Earlier renew runs: undo one, or export its results to a CSV file</source>
        <translation>Прошлые запуски возобновления: откатить запуск или выгрузить его результаты в CSV</translation>
    </message>
    <message>
        <source>Set up a connection…</source>
        <translation>Настроить подключение…</translation>
    </message>
    <message>
        <source>Add your Bitrix24 portal by pasting its incoming webhook address</source>
        <translation>Добавить портал Битрикс24, вставив адрес его входящего вебхука</translation>
    </message>
    <message>
        <source>Remove this connection…</source>
        <translation>Удалить это подключение…</translation>
    </message>
    <message>
        <source>Forget the connection in use: its settings and its secret</source>
        <translation>Забыть текущее подключение: его настройки и секрет</translation>
    </message>
    <message>
        <source>Getting started</source>
        <translation>Как начать работу</translation>
    </message>
    <message>
        <source>What a webhook is, how to make one, and what each result means</source>
        <translation>Что такое вебхук, как его создать и что означает каждый результат</translation>
    </message>
    <message>
        <source>About b24desk</source>
        <translation>О программе b24desk</translation>
    </message>
    <message>
        <source>The version of b24desk and where it keeps its files</source>
        <translation>Версия b24desk и где она хранит свои файлы</translation>
    </message>
    <message>
        <source>Save a diagnostic report…</source>
        <translation>Сохранить диагностический отчёт…</translation>
    </message>
    <message>
        <source>Save what the portal answers to a few read-only requests, to send when something does not work (no secrets, no names)</source>
        <translation>Сохранить ответы портала на несколько запросов только для чтения, чтобы отправить их, когда что-то не работает (без секретов и имён)</translation>
    </message>
    <message>
        <source>Problems panel</source>
        <translation>Панель проблем</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Язык системы</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Главная панель</translation>
    </message>
    <message>
        <source>&amp;Tasks</source>
        <translation>&amp;Задачи</translation>
    </message>
    <message>
        <source>&amp;Connection</source>
        <translation>&amp;Подключение</translation>
    </message>
    <message>
        <source>&amp;Switch to</source>
        <translation>&amp;Переключиться на</translation>
    </message>
    <message>
        <source>&amp;Selection</source>
        <translation>&amp;Выделение</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>The language of b24desk&apos;s window and messages</source>
        <translation>Язык окна и сообщений b24desk</translation>
    </message>
    <message>
        <source>&lt;b&gt;DEMO&lt;/b&gt; — this window works on a built-in sandbox portal with made-up tasks. Nothing you do here touches a real Bitrix24 portal. To work on your own portal, close b24desk and start it again from its icon or menu entry.</source>
        <translation>&lt;b&gt;ДЕМО&lt;/b&gt; — окно работает со встроенным демо-порталом и вымышленными задачами. Ничто здесь не затрагивает настоящий портал Битрикс24. Чтобы работать со своим порталом, закройте b24desk и запустите его снова — значком или из меню.</translation>
    </message>
    <message>
        <source>Demo mode: a built-in sandbox portal, not a real one</source>
        <translation>Демо-режим: встроенный демо-портал, а не настоящий</translation>
    </message>
    <message>
        <source>DEMO</source>
        <translation>ДЕМО</translation>
    </message>
    <message>
        <source>A built-in sandbox portal: nothing real is changed</source>
        <translation>Встроенный демо-портал: ничего настоящего не меняется</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Ход выполнения</translation>
    </message>
    <message>
        <source>Task counters</source>
        <translation>Счётчики задач</translation>
    </message>
    <message>
        <source>Reopen completed Bitrix24 tasks in bulk.</source>
        <translation>Массовое возобновление завершённых задач Битрикс24.</translation>
    </message>
    <message>
        <source>Journal and log: {folder}</source>
        <translation>Журнал и лог: {folder}</translation>
    </message>
    <message>
        <source>Connection profiles: {folder}</source>
        <translation>Профили подключений: {folder}</translation>
    </message>
    <message>
        <source>Webhook addresses and tokens are kept only in the system&apos;s password store.</source>
        <translation>Адреса вебхуков и токены хранятся только в системном хранилище паролей.</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} из {total}</translation>
    </message>
    <message>
        <source>Loading tasks…</source>
        <translation>Загрузка задач…</translation>
    </message>
    <message>
        <source>Renewing…</source>
        <translation>Возобновление…</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>нет подключения</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>подключение…</translation>
    </message>
    <message>
        <source>Select the tasks to check first (Ctrl+A selects all shown).</source>
        <translation>Сначала выберите задачи для проверки (Ctrl+A выбирает все показанные).</translation>
    </message>
    <message>
        <source>The selected tasks have been reopened already.</source>
        <translation>Выбранные задачи уже возобновлены.</translation>
    </message>
    <message>
        <source>Select the tasks to renew first (Ctrl+A selects all shown).</source>
        <translation>Сначала выделите задачи для возобновления (Ctrl+A выделяет все показанные).</translation>
    </message>
    <message>
        <source>Task {id} added to the selection.</source>
        <translation>Задача {id} добавлена к выделению.</translation>
    </message>
    <message numerus="yes">
        <source>Task {id} is the highlighted row; your selection of %Ln task(s) is kept (Ctrl+click the problem to add the task to it).</source>
        <translation>
            <numerusform>Задача {id} — подсвеченная строка; выделение из %Ln задачи сохранено (Ctrl+щелчок по проблеме добавит к нему эту задачу).</numerusform>
            <numerusform>Задача {id} — подсвеченная строка; выделение из %Ln задач сохранено (Ctrl+щелчок по проблеме добавит к нему эту задачу).</numerusform>
            <numerusform>Задача {id} — подсвеченная строка; выделение из %Ln задач сохранено (Ctrl+щелчок по проблеме добавит к нему эту задачу).</numerusform>
        </translation>
    </message>
    <message>
        <source>Task {id} is hidden by the filters. Click “Clear filters” to see it.</source>
        <translation>Задача {id} скрыта фильтрами. Нажмите «Сбросить фильтры», чтобы её увидеть.</translation>
    </message>
    <message>
        <source>Task {id} is not in the loaded list.</source>
        <translation>Задачи {id} нет среди загруженных.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln task(s)</source>
        <translation>
            <numerusform>%Ln задача</numerusform>
            <numerusform>%Ln задачи</numerusform>
            <numerusform>%Ln задач</numerusform>
        </translation>
    </message>
    <message>
        <source>{tasks} ({shown} shown)</source>
        <translation>{tasks} (показано: {shown})</translation>
    </message>
    <message>
        <source>{n} selected</source>
        <translation>выделено: {n}</translation>
    </message>
    <message numerus="yes">
        <source>{selected}, %Ln hidden by filters</source>
        <translation>
            <numerusform>{selected}, ещё %Ln задача скрыта фильтрами</numerusform>
            <numerusform>{selected}, ещё %Ln задачи скрыты фильтрами</numerusform>
            <numerusform>{selected}, ещё %Ln задач скрыто фильтрами</numerusform>
        </translation>
    </message>
    <message>
        <source>{n} renewed</source>
        <translation>возобновлено: {n}</translation>
    </message>
    <message>
        <source>{n} not allowed</source>
        <translation>не разрешено: {n}</translation>
    </message>
    <message>
        <source>{n} failed</source>
        <translation>ошибок: {n}</translation>
    </message>
    <message>
        <source>Selected tasks hidden by the filters stay selected: they are left out of “Renew selected” and “Check first” until the filters show them again (“Clear filters”). “Select none” unselects them too.</source>
        <translation>Выделенные задачи, скрытые фильтрами, остаются выделенными, но «Возобновить выбранные» и «Сначала проверить» их не затрагивают, пока фильтры снова их не покажут («Сбросить фильтры»). «Снять выделение» снимает выделение и с них.</translation>
    </message>
    <message>
        <source>Select tasks in the table first</source>
        <translation>Сначала выделите задачи в таблице</translation>
    </message>
</context>
<context>
    <name>OAuth</name>
    <message>
        <source>b24desk is signed in</source>
        <translation>Вход в b24desk выполнен</translation>
    </message>
    <message>
        <source>You can close this tab and go back to b24desk.</source>
        <translation>Эту вкладку можно закрыть и вернуться в b24desk.</translation>
    </message>
    <message>
        <source>Sign-in not completed</source>
        <translation>Вход не завершён</translation>
    </message>
    <message>
        <source>Go back to b24desk to see what to do next.</source>
        <translation>Вернитесь в b24desk — там написано, что делать дальше.</translation>
    </message>
    <message>
        <source>Not for b24desk</source>
        <translation>Не для b24desk</translation>
    </message>
    <message>
        <source>This answer does not belong to the sign-in b24desk started, so it was ignored.</source>
        <translation>Этот ответ не относится ко входу, который начал b24desk, поэтому он проигнорирован.</translation>
    </message>
    <message>
        <source>Nothing was pasted: copy the whole address the browser shows after you allowed the application, and paste it here.</source>
        <translation>Ничего не вставлено: скопируйте весь адрес, который показывает браузер после того, как вы разрешили доступ приложению, и вставьте его сюда.</translation>
    </message>
    <message>
        <source>This is not an authorization code: copy the whole address the browser shows after you allowed the application, and paste it here.</source>
        <translation>Это не код авторизации: скопируйте весь адрес, который показывает браузер после того, как вы разрешили доступ приложению, и вставьте его сюда.</translation>
    </message>
    <message>
        <source>The sign-in was refused in the browser: allow the application on the portal&apos;s page, then try again.</source>
        <translation>Вход отклонён в браузере: разрешите доступ приложению на странице портала и попробуйте снова.</translation>
    </message>
    <message>
        <source>The portal did not complete the sign-in ({reason}): check the application&apos;s settings in Bitrix24, then try again.</source>
        <translation>Портал не завершил вход ({reason}): проверьте настройки приложения в Битрикс24 и попробуйте снова.</translation>
    </message>
    <message>
        <source>The pasted address has no authorization code in it: copy the whole address the browser shows after you allowed the application, and paste it here.</source>
        <translation>В вставленном адресе нет кода авторизации: скопируйте весь адрес, который показывает браузер после того, как вы разрешили доступ приложению, и вставьте его сюда.</translation>
    </message>
    <message>
        <source>This answer does not belong to the sign-in b24desk started (its state does not match), so it was not used: start the sign-in again.</source>
        <translation>Этот ответ не относится ко входу, который начал b24desk (не совпадает параметр state), поэтому он не использован: начните вход заново.</translation>
    </message>
    <message>
        <source>The OAuth server&apos;s answer had no tokens in it: check the OAuth server address, then sign in again.</source>
        <translation>В ответе сервера OAuth нет токенов: проверьте адрес сервера OAuth и войдите снова.</translation>
    </message>
    <message>
        <source>The authorization code was refused (a code works only once and only for 30 seconds): sign in again.</source>
        <translation>Код авторизации отклонён (код действует один раз и только 30 секунд): войдите снова.</translation>
    </message>
    <message>
        <source>The OAuth server did not accept the client id or client secret: copy both again from the local application&apos;s settings in Bitrix24.</source>
        <translation>Сервер OAuth не принял код приложения (client_id) или ключ (client_secret): скопируйте их снова из настроек локального приложения в Битрикс24.</translation>
    </message>
    <message>
        <source>The OAuth server address did not answer like a Bitrix24 OAuth server: check it (normally https://oauth.bitrix.info), then sign in again.</source>
        <translation>Сервер OAuth ответил не как сервер OAuth Битрикс24: проверьте его адрес (обычно https://oauth.bitrix.info) и войдите снова.</translation>
    </message>
    <message>
        <source>The sign-in could not be completed: {reason}</source>
        <translation>Не удалось завершить вход: {reason}</translation>
    </message>
    <message>
        <source>b24desk could not listen for the sign-in on this computer (port {port}: {reason}): choose another port or paste the address instead.</source>
        <translation>b24desk не может ожидать вход на этом компьютере (порт {port}: {reason}): выберите другой порт или вставьте адрес вручную.</translation>
    </message>
    <message>
        <source>The client id and the client secret are both needed: copy them from the local application&apos;s settings in Bitrix24.</source>
        <translation>Нужны и код приложения (client_id), и ключ (client_secret): скопируйте их из настроек локального приложения в Битрикс24.</translation>
    </message>
    <message>
        <source>No answer came from the browser in time: start the sign-in again, or paste the address the browser shows after you allowed the application.</source>
        <translation>Браузер не ответил вовремя: начните вход заново или вставьте адрес, который показывает браузер после того, как вы разрешили доступ приложению.</translation>
    </message>
    <message>
        <source>The profile &quot;{name}&quot; connects through a webhook, which needs no sign-in.</source>
        <translation>Профиль «{name}» подключается через вебхук, ему не нужен вход.</translation>
    </message>
    <message>
        <source>The client secret of the profile &quot;{name}&quot; is not in the password store: remove the profile and add it again with its client id and secret.</source>
        <translation>Ключа приложения (client_secret) профиля «{name}» нет в хранилище паролей: удалите профиль и добавьте его снова с кодом и ключом приложения.</translation>
    </message>
</context>
<context>
    <name>Outcome</name>
    <message>
        <source>Queued</source>
        <translation>В очереди</translation>
    </message>
    <message>
        <source>Renewing…</source>
        <translation>Возобновляется…</translation>
    </message>
    <message>
        <source>Renewed</source>
        <translation>Возобновлена</translation>
    </message>
    <message>
        <source>Already open</source>
        <translation>Уже открыта</translation>
    </message>
    <message>
        <source>Not attempted</source>
        <translation>Не отправлена</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>Не разрешено</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Пропущена</translation>
    </message>
    <message>
        <source>Completed again</source>
        <translation>Снова завершена</translation>
    </message>
    <message>
        <source>Can reopen</source>
        <translation>Можно возобновить</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Задача</translation>
    </message>
    <message>
        <source>What went wrong</source>
        <translation>Что случилось</translation>
    </message>
    <message>
        <source>Error code</source>
        <translation>Код ошибки</translation>
    </message>
    <message>
        <source>task {id}</source>
        <translation>задача {id}</translation>
    </message>
    <message>
        <source>Unknown error</source>
        <translation>Неизвестная ошибка</translation>
    </message>
    <message>
        <source>Click to show this task in the table</source>
        <translation>Нажмите, чтобы показать задачу в таблице</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Задач</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>Что делать</translation>
    </message>
    <message>
        <source>Ask for an administrator&apos;s webhook: an administrator may change every task. Or ask the task&apos;s creator to do it.</source>
        <translation>Попросите вебхук администратора: администратор может менять любую задачу. Или попросите об этом постановщика задачи.</translation>
    </message>
    <message>
        <source>Click “Load tasks” to see which of these still exist and are completed; for the rest, ask for an administrator&apos;s webhook.</source>
        <translation>Нажмите «Загрузить задачи», чтобы увидеть, какие из них ещё есть и завершены; для остальных попросите вебхук администратора.</translation>
    </message>
    <message>
        <source>Nothing to fix: the task is gone or hidden from this webhook&apos;s user. Click “Load tasks” to refresh the list.</source>
        <translation>Исправлять нечего: задачи больше нет или она скрыта от пользователя вебхука. Нажмите «Загрузить задачи», чтобы обновить список.</translation>
    </message>
    <message>
        <source>Click “Load tasks” to see where these tasks stand, then renew what is left.</source>
        <translation>Нажмите «Загрузить задачи», чтобы увидеть, в каком состоянии эти задачи, затем возобновите оставшиеся.</translation>
    </message>
    <message>
        <source>Set up the connection again with a working webhook address (Connection &gt; Set up a connection…).</source>
        <translation>Настройте подключение заново с рабочим адресом вебхука (Подключение &gt; Настроить подключение…).</translation>
    </message>
    <message>
        <source>On the portal, edit the webhook, tick “Tasks (task)” and save; then try again.</source>
        <translation>На портале откройте вебхук, отметьте «Задачи (task)» и сохраните; затем попробуйте снова.</translation>
    </message>
    <message>
        <source>The portal is busy: wait a few minutes, then click “Retry failed”.</source>
        <translation>Портал перегружен: подождите несколько минут, затем нажмите «Повторить неудачные».</translation>
    </message>
    <message>
        <source>Save a diagnostic report (Help menu) and send it to whoever supports b24desk for you.</source>
        <translation>Сохраните диагностический отчёт (меню «Справка») и отправьте тому, кто поддерживает b24desk для вас.</translation>
    </message>
    <message>
        <source>Click “Retry failed” to try these tasks again; if they keep failing, save a diagnostic report (Help menu).</source>
        <translation>Нажмите «Повторить неудачные», чтобы попробовать снова; если ошибка повторяется, сохраните диагностический отчёт (меню «Справка»).</translation>
    </message>
    <message>
        <source>Try again; if it keeps happening, save a diagnostic report (Help menu).</source>
        <translation>Попробуйте снова; если это повторяется, сохраните диагностический отчёт (меню «Справка»).</translation>
    </message>
    <message>
        <source>{title} (task {id})</source>
        <translation>{title} (задача {id})</translation>
    </message>
    <message>
        <source>Task {id}</source>
        <translation>Задача {id}</translation>
    </message>
    <message>
        <source>This computer&apos;s local time</source>
        <translation>Время по часам этого компьютера</translation>
    </message>
    <message>
        <source>{n} task|{n} tasks</source>
        <translation>{n} задача|{n} задачи|{n} задач</translation>
    </message>
    <message>
        <source>{n} time|{n} times</source>
        <translation>{n} раз|{n} раза|{n} раз</translation>
    </message>
    <message>
        <source>What to do: {fix}</source>
        <translation>Что делать: {fix}</translation>
    </message>
    <message>
        <source>Error code: {code}</source>
        <translation>Код ошибки: {code}</translation>
    </message>
    <message>
        <source>When: {time} (local time)</source>
        <translation>Когда: {time} (по часам этого компьютера)</translation>
    </message>
</context>
<context>
    <name>Profiles</name>
    <message>
        <source>The client secret is empty: copy it from the local application&apos;s settings in Bitrix24.</source>
        <translation>Ключ приложения (client_secret) пуст: скопируйте его из настроек локального приложения в Битрикс24.</translation>
    </message>
    <message>
        <source>The profile &quot;{name}&quot; connects through OAuth, not a webhook: use its OAuth sign-in instead.</source>
        <translation>Профиль «{name}» подключается через OAuth, а не через вебхук: войдите через OAuth.</translation>
    </message>
    <message>
        <source>The webhook code of the profile &quot;{name}&quot; is not in the password store: remove the profile and add it again with its webhook URL.</source>
        <translation>Кода вебхука профиля «{name}» нет в хранилище паролей: удалите профиль и добавьте его снова по адресу вебхука.</translation>
    </message>
    <message>
        <source>The password store could not be reached, so a secret of &quot;{name}&quot; may still be in it. Nothing uses it any more; to delete it too, remove the entries named &quot;{name}:…&quot; of the service &quot;{service}&quot; in your password manager (Passwords and Keys, KWalletManager, Keychain Access or Credential Manager).</source>
        <translation>Хранилище паролей недоступно, поэтому секрет профиля «{name}» мог в нём остаться. Он больше ничем не используется; чтобы удалить и его, удалите записи «{name}:…» службы «{service}» в менеджере паролей («Пароли и ключи», KWalletManager, «Связка ключей» или «Диспетчер учётных данных»).</translation>
    </message>
    <message>
        <source>A profile name cannot be empty: type a short name, such as &quot;Main&quot;.</source>
        <translation>Имя профиля не может быть пустым: введите короткое имя, например «Основной».</translation>
    </message>
    <message>
        <source>A profile name can have at most {max} characters: choose a shorter one.</source>
        <translation>Имя профиля может содержать не более {max} символов: выберите имя покороче.</translation>
    </message>
    <message>
        <source>A profile name cannot contain control or invisible characters: type it again.</source>
        <translation>Имя профиля не может содержать управляющие или невидимые символы: введите его заново.</translation>
    </message>
    <message>
        <source>The certificate authority file must be given as the path of a PEM file: choose the file again.</source>
        <translation>Файл центра сертификации нужно указать путём к PEM-файлу: выберите файл снова.</translation>
    </message>
    <message>
        <source>An OAuth profile needs the application&apos;s client id (such as local.abc123.456), without spaces: copy it from the local application&apos;s settings in Bitrix24.</source>
        <translation>Для профиля OAuth нужен код приложения (client_id, например local.abc123.456) без пробелов: скопируйте его из настроек локального приложения в Битрикс24.</translation>
    </message>
    <message>
        <source>The connection profiles file {path} could not be read ({reason}): check its permissions.</source>
        <translation>Не удалось прочитать файл профилей подключений {path} ({reason}): проверьте права на него.</translation>
    </message>
    <message>
        <source>it is not valid JSON</source>
        <translation>это не корректный JSON</translation>
    </message>
    <message>
        <source>The connection profiles file {path} was written by a newer version of b24desk: update b24desk to use these profiles.</source>
        <translation>Файл профилей подключений {path} записан более новой версией b24desk: обновите b24desk, чтобы пользоваться этими профилями.</translation>
    </message>
    <message>
        <source>The connection profiles file {path} is damaged ({reason}) and could not be moved aside ({error}): move or repair it, then try again.</source>
        <translation>Файл профилей подключений {path} повреждён ({reason}), и его не удалось переместить ({error}): переместите или исправьте его и попробуйте снова.</translation>
    </message>
    <message>
        <source>The connection profiles file {path} is damaged ({reason}); it was kept as {kept_as} next to it, and b24desk now has no profiles: add your connections again, or repair that file and put it back.</source>
        <translation>Файл профилей подключений {path} повреждён ({reason}); он сохранён рядом как {kept_as}, и сейчас в b24desk нет профилей: добавьте подключения заново или исправьте тот файл и верните его на место.</translation>
    </message>
    <message>
        <source>The connection profiles could not be saved to {path} ({reason}): check free disk space and permissions.</source>
        <translation>Не удалось сохранить профили подключений в {path} ({reason}): проверьте свободное место на диске и права доступа.</translation>
    </message>
    <message>
        <source>A profile named &quot;{name}&quot; already exists: choose another name or remove the old profile first.</source>
        <translation>Профиль «{name}» уже есть: выберите другое имя или сначала удалите старый профиль.</translation>
    </message>
    <message>
        <source>There is no connection profile named &quot;{name}&quot;: check the name or add the profile first.</source>
        <translation>Профиля подключения «{name}» нет: проверьте имя или сначала добавьте профиль.</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <source>Bitrix24 allows {n} minute of its work per 10 minutes for each operation; continuing at {time}.|Bitrix24 allows {n} minutes of its work per 10 minutes for each operation; continuing at {time}.</source>
        <translation>Битрикс24 разрешает {n} минуту своей работы на каждую операцию за 10 минут; продолжу в {time}.|Битрикс24 разрешает {n} минуты своей работы на каждую операцию за 10 минут; продолжу в {time}.|Битрикс24 разрешает {n} минут своей работы на каждую операцию за 10 минут; продолжу в {time}.</translation>
    </message>
    <message>
        <source>The portal is busy; trying again at {time}.</source>
        <translation>Портал занят; повторю в {time}.</translation>
    </message>
    <message>
        <source>The connection to the portal failed; trying again at {time}.</source>
        <translation>Связь с порталом прервалась; повторю в {time}.</translation>
    </message>
    <message>
        <source>less than a minute left</source>
        <translation>осталось меньше минуты</translation>
    </message>
    <message>
        <source>about {n} minute left|about {n} minutes left</source>
        <translation>осталось около {n} минуты|осталось около {n} минут|осталось около {n} минут</translation>
    </message>
    <message>
        <source>about {h} h {m} min left</source>
        <translation>осталось около {h} ч {m} мин</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Перейти к:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>&amp;Типы файлов:</translation>
    </message>
</context>
<context>
    <name>Renew</name>
    <message>
        <source>The task was deleted or you can no longer see it.</source>
        <translation>Задача удалена, или вы больше не можете её видеть.</translation>
    </message>
    <message>
        <source>Not completed at the moment: it is {status}.</source>
        <translation>Сейчас не завершена: {status}.</translation>
    </message>
    <message>
        <source>new</source>
        <translation>новая</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ждёт выполнения</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>выполняется</translation>
    </message>
    <message>
        <source>awaiting control</source>
        <translation>ждёт контроля</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>завершена</translation>
    </message>
    <message>
        <source>deferred</source>
        <translation>отложена</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>отклонена</translation>
    </message>
    <message>
        <source>in an unknown state</source>
        <translation>в неизвестном состоянии</translation>
    </message>
    <message>
        <source>status {n}</source>
        <translation>статус {n}</translation>
    </message>
    <message>
        <source>Completed, awaiting the creator&apos;s approval: the task has task control and your Bitrix24 user may not accept it for its creator.</source>
        <translation>Завершена, ждёт приёмки постановщиком: задача под контролем, а ваш пользователь Битрикс24 не может принять её за постановщика.</translation>
    </message>
    <message>
        <source>Completed again; b24desk also accepted it for its creator, as its task control asks.</source>
        <translation>Снова завершена; b24desk также принял её за постановщика, как требует контроль задачи.</translation>
    </message>
    <message>
        <source>The run stopped before this task was sent.</source>
        <translation>Запуск остановился до отправки этой задачи.</translation>
    </message>
    <message>
        <source>Completed, awaiting the creator&apos;s approval: the run stopped before b24desk could accept it for its creator.</source>
        <translation>Завершена, ждёт приёмки постановщиком: запуск остановился до того, как b24desk успел принять её за постановщика.</translation>
    </message>
    <message>
        <source>Confirmed by reading the task back.</source>
        <translation>Подтверждено повторным чтением задачи.</translation>
    </message>
    <message>
        <source>The run stopped while this task was being sent.</source>
        <translation>Запуск остановился во время отправки этой задачи.</translation>
    </message>
    <message>
        <source>New deadline: {date}.</source>
        <translation>Новый крайний срок: {date}.</translation>
    </message>
    <message>
        <source>Left as is: the portal did not say how it is now.</source>
        <translation>Оставлена как есть: портал не сообщил, в каком она сейчас состоянии.</translation>
    </message>
    <message>
        <source>Returned for rework: it was awaiting its creator&apos;s approval, and Bitrix24 lets the creator or an administrator send it back rather than reopen it.</source>
        <translation>Возвращена на доработку: она ждала приёмки постановщиком, а Битрикс24 разрешает постановщику или администратору вернуть её, а не возобновить.</translation>
    </message>
    <message>
        <source>Cancelled before it was sent.</source>
        <translation>Отменено до отправки.</translation>
    </message>
    <message>
        <source>Sent just before the run was cancelled; the portal has not said yet whether it applied it. b24desk reads it back before the next run.</source>
        <translation>Отправлена перед самой отменой запуска; портал ещё не сообщил, выполнил ли он её. b24desk перечитает её перед следующим запуском.</translation>
    </message>
    <message>
        <source>No answer from the portal.</source>
        <translation>Портал не ответил.</translation>
    </message>
    <message>
        <source>The comment was not added. {detail}</source>
        <translation>Комментарий не добавлен. {detail}</translation>
    </message>
    <message>
        <source>Its deadline is back to {date}.</source>
        <translation>Крайний срок снова {date}.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>The deadline was not changed. {detail}</source>
        <translation>Крайний срок не изменён. {detail}</translation>
    </message>
    <message>
        <source>Confirmed by reading the task back after a lost answer.</source>
        <translation>Подтверждено повторным чтением задачи после потерянного ответа.</translation>
    </message>
    <message>
        <source>Someone reopened the task before this run got to it; this run did not change it.</source>
        <translation>Кто-то возобновил задачу раньше, чем до неё дошёл этот запуск; запуск её не менял.</translation>
    </message>
    <message>
        <source>The task was already open.</source>
        <translation>Задача уже была открыта.</translation>
    </message>
    <message>
        <source>Completed again, awaiting its creator&apos;s approval as it was before the reopen.</source>
        <translation>Снова завершена и ждёт приёмки постановщиком, как было до возобновления.</translation>
    </message>
    <message>
        <source>Bitrix24 did not allow reopening this task (deleted, no rights, or no longer completed).</source>
        <translation>Битрикс24 не разрешил возобновить эту задачу (удалена, нет прав или она уже не завершена).</translation>
    </message>
    <message>
        <source>Bitrix24 did not allow completing this task again.</source>
        <translation>Битрикс24 не разрешил снова завершить эту задачу.</translation>
    </message>
    <message>
        <source>The task is already open ({status}).</source>
        <translation>Задача уже открыта ({status}).</translation>
    </message>
    <message>
        <source>Your Bitrix24 user is not allowed to reopen this task.</source>
        <translation>Вашему пользователю Битрикс24 нельзя возобновлять эту задачу.</translation>
    </message>
    <message>
        <source>Your Bitrix24 user is not allowed to complete this task.</source>
        <translation>Вашему пользователю Битрикс24 нельзя завершать эту задачу.</translation>
    </message>
    <message>
        <source>The portal&apos;s answer was lost and the task could not be read back: check it on the portal before trying again.</source>
        <translation>Ответ портала потерялся, а задачу не удалось перечитать: проверьте её на портале, прежде чем пробовать снова.</translation>
    </message>
    <message>
        <source>Not allowed: {reason}</source>
        <translation>Не разрешено: {reason}</translation>
    </message>
    <message>
        <source>It awaits its creator&apos;s approval: only its responsible person can reopen it, and only its creator or an administrator can return it for rework.</source>
        <translation>Задача ждёт приёмки постановщиком: возобновить её может только ответственный, а вернуть на доработку — только постановщик или администратор.</translation>
    </message>
    <message>
        <source>Your Bitrix24 user cannot see this task.</source>
        <translation>Ваш пользователь Битрикс24 не видит эту задачу.</translation>
    </message>
    <message>
        <source>Only its creator, responsible person, co-executors, their managers or an administrator can reopen it.</source>
        <translation>Возобновить её могут только постановщик, ответственный, соисполнители, их руководители или администратор.</translation>
    </message>
    <message>
        <source>Left as is: the task has moved on since (it is now {status}).</source>
        <translation>Оставлена как есть: с тех пор задача изменилась (сейчас: {status}).</translation>
    </message>
    <message>
        <source>Left as is: someone changed the task after it was reopened.</source>
        <translation>Оставлена как есть: кто-то изменил задачу после возобновления.</translation>
    </message>
    <message>
        <source>process {pid}</source>
        <translation>процесс {pid}</translation>
    </message>
    <message>
        <source>another process</source>
        <translation>другой процесс</translation>
    </message>
    <message>
        <source>Another b24desk window or command ({who}) is reopening or completing tasks on {portal} right now. Wait until it has finished, then try again.</source>
        <translation>Другое окно или команда b24desk ({who}) сейчас возобновляет или завершает задачи на {portal}. Дождитесь окончания и попробуйте снова.</translation>
    </message>
</context>
<context>
    <name>RenewDialog</name>
    <message>
        <source>Deadlines of the reopened tasks</source>
        <translation>Крайние сроки возобновлённых задач</translation>
    </message>
    <message>
        <source>&amp;Keep them as they are</source>
        <translation>&amp;Оставить как есть</translation>
    </message>
    <message>
        <source>&amp;Set them to</source>
        <translation>&amp;Установить</translation>
    </message>
    <message>
        <source>&amp;Move each by</source>
        <translation>&amp;Перенести каждый на</translation>
    </message>
    <message>
        <source>days</source>
        <translation>дн.</translation>
    </message>
    <message>
        <source>weeks</source>
        <translation>нед.</translation>
    </message>
    <message>
        <source>months</source>
        <translation>мес.</translation>
    </message>
    <message>
        <source>Only for tasks whose deadline has &amp;passed</source>
        <translation>Только для задач, у которых срок уже &amp;прошёл</translation>
    </message>
    <message>
        <source>Reopened because …</source>
        <translation>Возобновлена, потому что …</translation>
    </message>
    <message>
        <source>&amp;Comment on each reopened task (optional):</source>
        <translation>&amp;Комментарий к каждой возобновлённой задаче (необязательно):</translation>
    </message>
</context>
<context>
    <name>RunHistory</name>
    <message>
        <source>Connect to the portal the run was made on to undo it.</source>
        <translation>Чтобы откатить этот запуск, подключитесь к порталу, на котором он был выполнен.</translation>
    </message>
    <message>
        <source>Export the run&apos;s results</source>
        <translation>Экспорт результатов запуска</translation>
    </message>
    <message numerus="yes">
        <source>Saved %Ln task(s) of the run to {path}.</source>
        <translation>
            <numerusform>Сохранена %Ln задача запуска в {path}.</numerusform>
            <numerusform>Сохранено %Ln задачи запуска в {path}.</numerusform>
            <numerusform>Сохранено %Ln задач запуска в {path}.</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not write {path} ({reason}): choose another folder or file name.</source>
        <translation>Не удалось записать {path} ({reason}): выберите другую папку или имя файла.</translation>
    </message>
</context>
<context>
    <name>Runs</name>
    <message numerus="yes">
        <source>Checking %Ln task(s) on the portal before reopening…</source>
        <translation>
            <numerusform>Проверяю %Ln задачу на портале перед возобновлением…</numerusform>
            <numerusform>Проверяю %Ln задачи на портале перед возобновлением…</numerusform>
            <numerusform>Проверяю %Ln задач на портале перед возобновлением…</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed on the portal.</source>
        <translation>Отменено; на портале ничего не изменилось.</translation>
    </message>
    <message numerus="yes">
        <source>Asking the portal about %Ln task(s)…</source>
        <translation>
            <numerusform>Спрашиваю портал о %Ln задаче…</numerusform>
            <numerusform>Спрашиваю портал о %Ln задачах…</numerusform>
            <numerusform>Спрашиваю портал о %Ln задачах…</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was changed on the portal.</source>
        <translation>На портале ничего не изменилось.</translation>
    </message>
    <message>
        <source>Renewing… {done} of {total}</source>
        <translation>Возобновление… {done} из {total}</translation>
    </message>
    <message>
        <source>The portal stopped the run: {reason} {summary}</source>
        <translation>Портал остановил запуск: {reason} {summary}</translation>
    </message>
    <message>
        <source>The run stopped before this task was sent.</source>
        <translation>Запуск остановился до отправки этой задачи.</translation>
    </message>
    <message>
        <source>The run stopped while this task was being sent: reload to see its state.</source>
        <translation>Запуск остановился, пока эта задача отправлялась: загрузите задачи заново, чтобы увидеть её состояние.</translation>
    </message>
    <message>
        <source>Cancelling: nothing more is sent; checking what was on its way…</source>
        <translation>Отмена: больше ничего не отправляется; проверяю то, что уже было в пути…</translation>
    </message>
    <message>
        <source>That run is no longer in the journal, so it cannot be undone.</source>
        <translation>Этого запуска больше нет в журнале, поэтому его нельзя откатить.</translation>
    </message>
    <message>
        <source>Reading the run and its tasks…</source>
        <translation>Читаю запуск и его задачи…</translation>
    </message>
    <message>
        <source>Completing the tasks again…</source>
        <translation>Снова завершаю задачи…</translation>
    </message>
    <message>
        <source>Completing again… {done} of {total}</source>
        <translation>Повторное завершение… {done} из {total}</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Both a profile and a webhook URL were given: use only one of them.</source>
        <translation>Указаны и профиль, и адрес вебхука: укажите что-то одно.</translation>
    </message>
    <message>
        <source>No portal was named: pass --profile NAME or --webhook URL, or set {env} to the webhook URL.</source>
        <translation>Портал не указан: укажите --profile NAME или --webhook URL либо задайте {env} с адресом вебхука.</translation>
    </message>
    <message>
        <source>There is no saved connection yet: add one with b24desk profile add NAME --webhook URL, or pass --webhook URL.</source>
        <translation>Сохранённых подключений пока нет: добавьте подключение командой b24desk profile add NAME --webhook URL или укажите --webhook URL.</translation>
    </message>
    <message>
        <source>The profile &quot;{name}&quot; is not signed in to Bitrix24 yet (or its sign-in was removed): sign in to it from the b24desk window.</source>
        <translation>Профиль «{name}» ещё не вошёл в Битрикс24 (или его вход удалён): войдите в окне b24desk.</translation>
    </message>
    <message>
        <source>The certificate authority file {path} does not exist: choose the PEM file your company&apos;s IT gave you, or leave it out.</source>
        <translation>Файла центра сертификации {path} нет: выберите PEM-файл, который выдал ИТ-отдел вашей компании, или не указывайте его.</translation>
    </message>
    <message>
        <source>The certificate authority file {path} is not a PEM certificate file: choose the file your company&apos;s IT gave you (it starts with -----BEGIN CERTIFICATE-----), or leave it out.</source>
        <translation>Файл центра сертификации {path} — не PEM-сертификат: выберите файл, который выдал ИТ-отдел вашей компании (он начинается с -----BEGIN CERTIFICATE-----), или не указывайте его.</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>
&lt;p&gt;&lt;b&gt;How to get your portal&apos;s webhook address&lt;/b&gt; (once, about two minutes):&lt;/p&gt;
&lt;ol style=&quot;margin-left: -20px&quot;&gt;
&lt;li&gt;Open your Bitrix24 portal in the browser, signed in as an administrator.&lt;/li&gt;
&lt;li&gt;Open &lt;b&gt;Developer resources&lt;/b&gt; (in newer portals it is under &lt;b&gt;Applications&lt;/b&gt; in the
left menu), then &lt;b&gt;Common use cases&lt;/b&gt; if the portal shows it, then &lt;b&gt;Other&lt;/b&gt;, then
&lt;b&gt;Inbound webhook&lt;/b&gt; (&lt;b&gt;Incoming webhook&lt;/b&gt; in older portals).&lt;/li&gt;
&lt;li&gt;Under &lt;b&gt;Assign permissions&lt;/b&gt; (&lt;b&gt;Permissions&lt;/b&gt; in older portals), add
&lt;b&gt;Tasks (task)&lt;/b&gt;. Nothing else is needed.&lt;/li&gt;
&lt;li&gt;Click &lt;b&gt;Create&lt;/b&gt; or &lt;b&gt;Save&lt;/b&gt;, then copy the address shown as &lt;b&gt;Webhook to call REST
API&lt;/b&gt;. It looks like &lt;code&gt;https://yourcompany.bitrix24.com/rest/1/abc123xyz/&lt;/code&gt;.&lt;/li&gt;
&lt;li&gt;Paste it below and click &lt;b&gt;Test connection&lt;/b&gt;.&lt;/li&gt;
&lt;/ol&gt;
&lt;p&gt;The address works like a password: b24desk keeps it in your computer&apos;s password store,
never in a file. Tasks are reopened with the rights of the user who created the webhook.&lt;/p&gt;
</source>
        <translation>
&lt;p&gt;&lt;b&gt;Как получить адрес вебхука вашего портала&lt;/b&gt; (один раз, около двух минут):&lt;/p&gt;
&lt;ol style=&quot;margin-left: -20px&quot;&gt;
&lt;li&gt;Откройте портал Битрикс24 в браузере под учётной записью администратора.&lt;/li&gt;
&lt;li&gt;Откройте раздел &lt;b&gt;Разработчикам&lt;/b&gt; (в новых порталах он в меню &lt;b&gt;Приложения&lt;/b&gt;),
затем &lt;b&gt;Готовые сценарии&lt;/b&gt;, если портал их показывает, затем &lt;b&gt;Другое&lt;/b&gt; и
&lt;b&gt;Входящий вебхук&lt;/b&gt;.&lt;/li&gt;
&lt;li&gt;В разделе &lt;b&gt;Настройка прав&lt;/b&gt; (в старых порталах — &lt;b&gt;Права&lt;/b&gt;) добавьте
&lt;b&gt;Задачи (task)&lt;/b&gt;. Больше ничего не нужно.&lt;/li&gt;
&lt;li&gt;Нажмите &lt;b&gt;Создать&lt;/b&gt; или &lt;b&gt;Сохранить&lt;/b&gt; и скопируйте адрес из поля &lt;b&gt;Вебхук для
вызова rest api&lt;/b&gt;. Он выглядит так: &lt;code&gt;https://yourcompany.bitrix24.ru/rest/1/abc123xyz/&lt;/code&gt;.&lt;/li&gt;
&lt;li&gt;Вставьте его ниже и нажмите &lt;b&gt;Проверить подключение&lt;/b&gt;.&lt;/li&gt;
&lt;/ol&gt;
&lt;p&gt;Адрес работает как пароль: b24desk хранит его в хранилище паролей компьютера, а не в файле.
Задачи возобновляются с правами пользователя, который создал вебхук.&lt;/p&gt;
</translation>
    </message>
    <message>
        <source>
&lt;p&gt;&lt;b&gt;Sign in with a local application&lt;/b&gt; instead of a webhook, for example when your
company does not allow webhooks. A portal administrator creates it once:&lt;/p&gt;
&lt;ol style=&quot;margin-left: -20px&quot;&gt;
&lt;li&gt;In Bitrix24 open &lt;b&gt;Developer resources&lt;/b&gt; (under &lt;b&gt;Applications&lt;/b&gt; in newer portals),
then &lt;b&gt;Other&lt;/b&gt;, then &lt;b&gt;Local application&lt;/b&gt;.&lt;/li&gt;
&lt;li&gt;Choose &lt;b&gt;Server&lt;/b&gt;, tick &lt;b&gt;Uses only API&lt;/b&gt;, and under &lt;b&gt;Assign permissions&lt;/b&gt; add
&lt;b&gt;Tasks (task)&lt;/b&gt;. As handler path any address will do, such as
&lt;code&gt;http://127.0.0.1/&lt;/code&gt;.&lt;/li&gt;
&lt;li&gt;Click &lt;b&gt;Save&lt;/b&gt; and copy the &lt;b&gt;Application ID&lt;/b&gt; (client_id) and the
&lt;b&gt;Application key&lt;/b&gt; (client_secret) into the fields below.&lt;/li&gt;
&lt;/ol&gt;
&lt;p&gt;Then click &lt;b&gt;Sign in in the browser&lt;/b&gt; and allow the application there; b24desk
finishes by itself. If the browser ends on a page that does not load, copy that page&apos;s
address from the address bar and paste it below.&lt;/p&gt;
</source>
        <translation>
&lt;p&gt;&lt;b&gt;Вход через локальное приложение&lt;/b&gt; вместо вебхука — например, если в компании
запрещены вебхуки. Администратор портала создаёт его один раз:&lt;/p&gt;
&lt;ol style=&quot;margin-left: -20px&quot;&gt;
&lt;li&gt;В Битрикс24 откройте &lt;b&gt;Разработчикам&lt;/b&gt; (в новых порталах — в меню &lt;b&gt;Приложения&lt;/b&gt;),
затем &lt;b&gt;Другое&lt;/b&gt; и &lt;b&gt;Локальное приложение&lt;/b&gt;.&lt;/li&gt;
&lt;li&gt;Выберите &lt;b&gt;Серверное&lt;/b&gt;, отметьте &lt;b&gt;Использует только API&lt;/b&gt; и в разделе
&lt;b&gt;Настройка прав&lt;/b&gt; добавьте &lt;b&gt;Задачи (task)&lt;/b&gt;. Путь обработчика может быть любым,
например &lt;code&gt;http://127.0.0.1/&lt;/code&gt;.&lt;/li&gt;
&lt;li&gt;Нажмите &lt;b&gt;Сохранить&lt;/b&gt; и скопируйте &lt;b&gt;Код приложения&lt;/b&gt; (client_id) и
&lt;b&gt;Ключ приложения&lt;/b&gt; (client_secret) в поля ниже.&lt;/li&gt;
&lt;/ol&gt;
&lt;p&gt;Затем нажмите &lt;b&gt;Войти через браузер&lt;/b&gt; и разрешите доступ приложению; дальше b24desk
всё сделает сам. Если браузер остановится на странице, которая не открывается, скопируйте
её адрес из адресной строки и вставьте ниже.&lt;/p&gt;
</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo mode:&lt;/b&gt; addresses are tested against the built-in sandbox portal and kept only until b24desk closes. The sandbox&apos;s own address is filled in. To connect to your real portal, close b24desk and start it again from its icon or menu entry.</source>
        <translation>&lt;b&gt;Демо-режим:&lt;/b&gt; адреса проверяются на встроенном демо-портале и хранятся только до закрытия b24desk. Адрес демо-портала уже подставлен. Чтобы подключить свой настоящий портал, закройте b24desk и запустите его снова — значком или из меню.</translation>
    </message>
    <message>
        <source>Demo mode uses the sandbox&apos;s webhook; signing in with a local application needs a real portal and a browser. Close b24desk and start it again from its icon or menu entry to use it.</source>
        <translation>Демо-режим использует вебхук демо-портала; для входа через локальное приложение нужны настоящий портал и браузер. Чтобы воспользоваться им, закройте b24desk и запустите его снова — значком или из меню.</translation>
    </message>
    <message>
        <source>Set up a connection to Bitrix24</source>
        <translation>Подключение к Битрикс24</translation>
    </message>
    <message>
        <source>Incoming webhook</source>
        <translation>Входящий вебхук</translation>
    </message>
    <message>
        <source>Local application (OAuth)</source>
        <translation>Локальное приложение (OAuth)</translation>
    </message>
    <message>
        <source>Save and connect</source>
        <translation>Сохранить и подключиться</translation>
    </message>
    <message>
        <source>Try the &amp;demo portal</source>
        <translation>Попробовать на &amp;демо-портале</translation>
    </message>
    <message>
        <source>Look around on a built-in sandbox portal with made-up tasks; nothing real is touched</source>
        <translation>Осмотреться на встроенном демо-портале с вымышленными задачами; ничего настоящего не затрагивается</translation>
    </message>
    <message>
        <source>Webhook address</source>
        <translation>Адрес вебхука</translation>
    </message>
    <message>
        <source>https://yourcompany.bitrix24.com/rest/1/abc123xyz/</source>
        <translation>https://yourcompany.bitrix24.ru/rest/1/abc123xyz/</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Показать</translation>
    </message>
    <message>
        <source>Show the address (it contains the webhook&apos;s secret code)</source>
        <translation>Показать адрес (в нём секретный код вебхука)</translation>
    </message>
    <message>
        <source>Main</source>
        <comment>the default name of a connection</comment>
        <translation>Основной</translation>
    </message>
    <message>
        <source>Name for this connection</source>
        <translation>Имя подключения</translation>
    </message>
    <message>
        <source>A short name to tell your portals apart, such as “Main”</source>
        <translation>Короткое имя, чтобы различать порталы, например «Основной»</translation>
    </message>
    <message>
        <source>Certificate authority file</source>
        <translation>Файл центра сертификации</translation>
    </message>
    <message>
        <source>Only for a portal on your company&apos;s own server (optional)</source>
        <translation>Только для портала на сервере компании</translation>
    </message>
    <message>
        <source>The PEM file of your company&apos;s certificate authority, if your IT gave you one: needed only when the test says the secure connection could not be verified</source>
        <translation>PEM-файл центра сертификации вашей компании, если его выдал ваш ИТ-отдел: нужен, только если проверка сообщает, что защищённое соединение не удалось проверить</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>В&amp;ыбрать…</translation>
    </message>
    <message>
        <source>Choose the certificate authority file (PEM)</source>
        <translation>Выбрать файл центра сертификации (PEM)</translation>
    </message>
    <message>
        <source>&amp;Webhook address:</source>
        <translation>&amp;Адрес вебхука:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Имя:</translation>
    </message>
    <message>
        <source>&amp;Certificate file:</source>
        <translation>&amp;Файл сертификата:</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Проверить подключение</translation>
    </message>
    <message>
        <source>Ask the portal whether b24desk can reopen tasks with it</source>
        <translation>Спросить портал, может ли b24desk возобновлять через него задачи</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>Результат проверки подключения</translation>
    </message>
    <message>
        <source>Use for this session only</source>
        <translation>Только на этот сеанс</translation>
    </message>
    <message>
        <source>Connect now without saving; b24desk forgets the address when it closes</source>
        <translation>Подключиться без сохранения; b24desk забудет адрес при закрытии</translation>
    </message>
    <message>
        <source>Portal address</source>
        <translation>Адрес портала</translation>
    </message>
    <message>
        <source>https://yourcompany.bitrix24.com</source>
        <translation>https://yourcompany.bitrix24.ru</translation>
    </message>
    <message>
        <source>Application ID (client_id)</source>
        <translation>Код приложения (client_id)</translation>
    </message>
    <message>
        <source>Application key (client_secret)</source>
        <translation>Ключ приложения (client_secret)</translation>
    </message>
    <message>
        <source>Portal address:</source>
        <translation>Адрес портала:</translation>
    </message>
    <message>
        <source>Application ID:</source>
        <translation>Код приложения:</translation>
    </message>
    <message>
        <source>Application key:</source>
        <translation>Ключ приложения:</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Имя:</translation>
    </message>
    <message>
        <source>Sign in in the &amp;browser</source>
        <translation>Войти через &amp;браузер</translation>
    </message>
    <message>
        <source>Open the portal&apos;s page where you allow b24desk</source>
        <translation>Открыть страницу портала, где вы разрешите доступ b24desk</translation>
    </message>
    <message>
        <source>Sign-in status</source>
        <translation>Состояние входа</translation>
    </message>
    <message>
        <source>Address from the browser</source>
        <translation>Адрес из браузера</translation>
    </message>
    <message>
        <source>Only if needed: the address the browser ended on</source>
        <translation>Только если нужно: адрес, на котором остановился браузер</translation>
    </message>
    <message>
        <source>Use this address</source>
        <translation>Использовать адрес</translation>
    </message>
    <message>
        <source>Keep this connection in the password store and start working with it</source>
        <translation>Сохранить подключение в хранилище паролей и начать с ним работу</translation>
    </message>
    <message>
        <source>Test the connection first: saving is offered once the test passes</source>
        <translation>Сначала проверьте подключение: сохранить можно, когда проверка пройдёт</translation>
    </message>
    <message>
        <source>Choose the certificate authority file</source>
        <translation>Выбор файла центра сертификации</translation>
    </message>
    <message>
        <source>Certificate files (*.pem *.crt *.cer)</source>
        <translation>Файлы сертификатов (*.pem *.crt *.cer)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Все файлы (*)</translation>
    </message>
    <message>
        <source>Waiting for you to allow b24desk on {portal} in the browser…</source>
        <translation>Ожидаю, пока вы разрешите доступ b24desk на {portal} в браузере…</translation>
    </message>
    <message>
        <source>Asking {portal}…</source>
        <translation>Спрашиваю {portal}…</translation>
    </message>
    <message>
        <source>Saving the connection…</source>
        <translation>Сохраняю подключение…</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>{n} already open</source>
        <translation>уже открыто: {n}</translation>
    </message>
    <message>
        <source>{n} not allowed</source>
        <translation>не разрешено: {n}</translation>
    </message>
    <message>
        <source>{n} failed</source>
        <translation>ошибок: {n}</translation>
    </message>
    <message>
        <source>{n} skipped</source>
        <translation>пропущено: {n}</translation>
    </message>
    <message>
        <source>{n} left as they were</source>
        <translation>оставлено как было: {n}</translation>
    </message>
    <message>
        <source>{n} not attempted</source>
        <translation>не отправлено: {n}</translation>
    </message>
    <message>
        <source>Completed again {done} of {n} task|Completed again {done} of {n} tasks</source>
        <translation>Снова завершено {done} из {n} задачи|Снова завершено {done} из {n} задач|Снова завершено {done} из {n} задач</translation>
    </message>
    <message>
        <source>Retry: reopened {done} of {n} task|Retry: reopened {done} of {n} tasks</source>
        <translation>Повтор: возобновлено {done} из {n} задачи|Повтор: возобновлено {done} из {n} задач|Повтор: возобновлено {done} из {n} задач</translation>
    </message>
    <message>
        <source>Reopened {done} of {n} task|Reopened {done} of {n} tasks</source>
        <translation>Возобновлено {done} из {n} задачи|Возобновлено {done} из {n} задач|Возобновлено {done} из {n} задач</translation>
    </message>
    <message>
        <source>Cancelled. {summary}</source>
        <translation>Отменено. {summary}</translation>
    </message>
    <message>
        <source>“Retry failed” tries the failed ones again.</source>
        <translation>Неудачные можно повторить.</translation>
    </message>
    <message>
        <source>Checked {n} task: you may reopen {may}|Checked {n} tasks: you may reopen {may}</source>
        <translation>Проверено: {n}, можно возобновить: {may}|Проверено: {n}, можно возобновить: {may}|Проверено: {n}, можно возобновить: {may}</translation>
    </message>
    <message>
        <source>{n} no longer completed or gone</source>
        <translation>уже не завершены или удалены: {n}</translation>
    </message>
    <message>
        <source>{n} the portal did not answer for</source>
        <translation>портал не ответил: {n}</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Ничего не изменено.</translation>
    </message>
    <message>
        <source>That run is no longer in the journal.</source>
        <translation>Этого запуска больше нет в журнале.</translation>
    </message>
    <message>
        <source>b24desk could not use a file it needs ({detail}).</source>
        <translation>b24desk не может использовать нужный ему файл ({detail}).</translation>
    </message>
    <message>
        <source>Something unexpected went wrong ({name}); the log file has the details.</source>
        <translation>Произошла непредвиденная ошибка ({name}); подробности в файле журнала.</translation>
    </message>
</context>
<context>
    <name>TaskLinks</name>
    <message>
        <source>Connect to the portal first.</source>
        <translation>Сначала подключитесь к порталу.</translation>
    </message>
    <message>
        <source>Demo mode: the tasks live in a built-in sandbox. On a real portal this opens task {id} in your browser.</source>
        <translation>Демо-режим: задачи находятся во встроенном демо-портале. На настоящем портале здесь откроется задача {id} в браузере.</translation>
    </message>
</context>
<context>
    <name>TaskTable</name>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Responsible</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Creator</source>
        <translation>Постановщик</translation>
    </message>
    <message>
        <source>Group/project</source>
        <translation>Группа/проект</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Закрыта</translation>
    </message>
    <message>
        <source>Closed by</source>
        <translation>Кем закрыта</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Результат</translation>
    </message>
    <message>
        <source>Task number on the portal</source>
        <translation>Номер задачи на портале</translation>
    </message>
    <message>
        <source>When the task was completed</source>
        <translation>Когда задача была завершена</translation>
    </message>
    <message>
        <source>Who completed the task</source>
        <translation>Кто завершил задачу</translation>
    </message>
    <message>
        <source>What happened to the task in the latest renew run</source>
        <translation>Что произошло с задачей при последнем возобновлении</translation>
    </message>
    <message>
        <source>User #{id}</source>
        <translation>Пользователь №{id}</translation>
    </message>
    <message>
        <source>Group #{id}</source>
        <translation>Группа №{id}</translation>
    </message>
    <message>
        <source>Completed tasks</source>
        <translation>Завершённые задачи</translation>
    </message>
    <message>
        <source>Open on portal</source>
        <translation>Открыть на портале</translation>
    </message>
    <message>
        <source>Open task {id} on portal</source>
        <translation>Открыть задачу {id} на портале</translation>
    </message>
    <message>
        <source>When the task was completed, in this computer&apos;s local time ({zone})</source>
        <translation>Когда задача была завершена, по часам этого компьютера ({zone})</translation>
    </message>
</context>
<context>
    <name>Users</name>
    <message>
        <source>ID {id}</source>
        <translation>ID {id}</translation>
    </message>
</context>
<context>
    <name>WebhookUrl</name>
    <message>
        <source>The webhook address is empty: in Bitrix24 open Developer resources (under Applications in newer portals) &gt; Other &gt; Inbound webhook and copy the whole webhook URL, which looks like https://yourcompany.bitrix24.com/rest/1/abcdef123456/.</source>
        <translation>Адрес вебхука пуст: в Битрикс24 откройте «Разработчикам» (в новых порталах — в меню «Приложения») → «Другое» → «Входящий вебхук» и скопируйте адрес вебхука целиком, он выглядит как https://yourcompany.bitrix24.ru/rest/1/abcdef123456/.</translation>
    </message>
    <message>
        <source>This is not a web address: in Bitrix24 open Developer resources (under Applications in newer portals) &gt; Other &gt; Inbound webhook and copy the whole webhook URL, which looks like https://yourcompany.bitrix24.com/rest/1/abcdef123456/.</source>
        <translation>Это не веб-адрес: в Битрикс24 откройте «Разработчикам» (в новых порталах — в меню «Приложения») → «Другое» → «Входящий вебхук» и скопируйте адрес вебхука целиком, он выглядит как https://yourcompany.bitrix24.ru/rest/1/abcdef123456/.</translation>
    </message>
    <message>
        <source>The address must start with https://: paste the incoming webhook URL exactly as Bitrix24 shows it.</source>
        <translation>Адрес должен начинаться с https://: вставьте адрес входящего вебхука точно так, как его показывает Битрикс24.</translation>
    </message>
    <message>
        <source>The portal name in this address is not a valid host name: check that the address was copied completely and without typing mistakes.</source>
        <translation>Имя портала в этом адресе — не допустимое имя хоста: проверьте, что адрес скопирован целиком и без опечаток.</translation>
    </message>
    <message>
        <source>The port number in this address is not valid: remove the part after the colon or copy the address again from Bitrix24.</source>
        <translation>Номер порта в этом адресе недопустим: удалите часть после двоеточия или снова скопируйте адрес из Битрикс24.</translation>
    </message>
    <message>
        <source>The address contains a user name or password before the portal name: remove the part before the @ sign or copy the address again from Bitrix24.</source>
        <translation>В адресе перед именем портала есть имя пользователя или пароль: удалите часть до знака @ или снова скопируйте адрес из Битрикс24.</translation>
    </message>
    <message>
        <source>The address uses http://, which would send the webhook code unencrypted: use the https:// address of your portal (http:// is accepted only for this computer, such as the sandbox on 127.0.0.1).</source>
        <translation>Адрес начинается с http://, и код вебхука ушёл бы без шифрования: используйте адрес портала с https:// (http:// допускается только для этого компьютера, например для демо-портала на 127.0.0.1).</translation>
    </message>
    <message>
        <source>This is only the address of your portal, not of a webhook: a webhook&apos;s address is longer, like https://yourcompany.bitrix24.com/rest/1/abcdef123456/. In Bitrix24 open Developer resources (under Applications in newer portals) &gt; Other &gt; Inbound webhook and copy the whole webhook URL from there.</source>
        <translation>Это только адрес вашего портала, а не вебхука: адрес вебхука длиннее, например https://yourcompany.bitrix24.ru/rest/1/abcdef123456/. В Битрикс24 откройте «Разработчикам» (в новых порталах — в меню «Приложения») → «Другое» → «Входящий вебхук» и скопируйте оттуда адрес вебхука целиком.</translation>
    </message>
    <message>
        <source>This is a link to a task (or a list of tasks), not a webhook: b24desk needs the webhook&apos;s address, like https://yourcompany.bitrix24.com/rest/1/abcdef123456/. In Bitrix24 open Developer resources (under Applications in newer portals) &gt; Other &gt; Inbound webhook and copy the whole webhook URL from there.</source>
        <translation>Это ссылка на задачу (или список задач), а не вебхук: b24desk нужен адрес вебхука, например https://yourcompany.bitrix24.ru/rest/1/abcdef123456/. В Битрикс24 откройте «Разработчикам» (в новых порталах — в меню «Приложения») → «Другое» → «Входящий вебхук» и скопируйте оттуда адрес вебхука целиком.</translation>
    </message>
    <message>
        <source>This is a sign-in (OAuth) link, not a webhook: to sign in with a local application choose that kind of connection instead; otherwise, in Bitrix24 open Developer resources (under Applications in newer portals) &gt; Other &gt; Inbound webhook and copy the whole webhook URL, like https://yourcompany.bitrix24.com/rest/1/abcdef123456/.</source>
        <translation>Это ссылка для входа (OAuth), а не вебхук: чтобы войти через локальное приложение, выберите такой вид подключения; иначе в Битрикс24 откройте «Разработчикам» (в новых порталах — в меню «Приложения») → «Другое» → «Входящий вебхук» и скопируйте адрес вебхука целиком, например https://yourcompany.bitrix24.ru/rest/1/abcdef123456/.</translation>
    </message>
    <message>
        <source>This is a link to a page of your portal, not a webhook: b24desk needs the webhook&apos;s address, like https://yourcompany.bitrix24.com/rest/1/abcdef123456/. In Bitrix24 open Developer resources (under Applications in newer portals) &gt; Other &gt; Inbound webhook and copy the whole webhook URL from there.</source>
        <translation>Это ссылка на страницу вашего портала, а не вебхук: b24desk нужен адрес вебхука, например https://yourcompany.bitrix24.ru/rest/1/abcdef123456/. В Битрикс24 откройте «Разработчикам» (в новых порталах — в меню «Приложения») → «Другое» → «Входящий вебхук» и скопируйте оттуда адрес вебхука целиком.</translation>
    </message>
    <message>
        <source>The /rest/&lt;user id&gt;/&lt;code&gt;/ part must follow the portal name directly: copy the webhook URL again from Bitrix24 without changing it.</source>
        <translation>Часть /rest/&lt;id пользователя&gt;/&lt;код&gt;/ должна идти сразу после имени портала: снова скопируйте адрес вебхука из Битрикс24, ничего не меняя.</translation>
    </message>
    <message>
        <source>This is the REST address used by OAuth applications, which has no user id and webhook code: paste the incoming webhook URL (.../rest/&lt;user id&gt;/&lt;code&gt;/) or set up an OAuth connection instead.</source>
        <translation>Это REST-адрес для приложений OAuth, в нём нет id пользователя и кода вебхука: вставьте адрес входящего вебхука (.../rest/&lt;id пользователя&gt;/&lt;код&gt;/) или настройте подключение через OAuth.</translation>
    </message>
    <message>
        <source>The user id after /rest/ must be a number, such as the 1 in /rest/1/&lt;code&gt;/: copy the webhook URL again from Bitrix24.</source>
        <translation>Номер пользователя (id) после /rest/ должен быть числом, например 1 в /rest/1/&lt;код&gt;/: снова скопируйте адрес вебхука из Битрикс24.</translation>
    </message>
    <message>
        <source>The webhook code after the user id is missing: copy the whole webhook URL from Bitrix24, including the part after /rest/&lt;user id&gt;/.</source>
        <translation>Нет кода вебхука после id пользователя: скопируйте адрес вебхука из Битрикс24 целиком, включая часть после /rest/&lt;id пользователя&gt;/.</translation>
    </message>
    <message>
        <source>The webhook code in this address is too short or contains characters that a webhook code never has: copy the whole webhook URL again from Bitrix24.</source>
        <translation>Код вебхука в этом адресе слишком короткий или содержит символы, которых в коде вебхука не бывает: снова скопируйте адрес вебхука из Битрикс24 целиком.</translation>
    </message>
    <message>
        <source>The portal address is empty: type it like https://yourcompany.bitrix24.com.</source>
        <translation>Адрес портала пуст: введите его в виде https://yourcompany.bitrix24.ru.</translation>
    </message>
    <message>
        <source>This is not a web address: type the portal address like https://yourcompany.bitrix24.com.</source>
        <translation>Это не веб-адрес: введите адрес портала в виде https://yourcompany.bitrix24.ru.</translation>
    </message>
    <message>
        <source>A portal address has nothing after the portal name: use only the first part, like https://yourcompany.bitrix24.com.</source>
        <translation>В адресе портала не должно быть ничего после имени портала: оставьте только начало, например https://yourcompany.bitrix24.ru.</translation>
    </message>
    <message>
        <source>The address uses http://, which would send your secrets unencrypted: use the https:// address of your portal (http:// is accepted only for this computer, such as the sandbox on 127.0.0.1).</source>
        <translation>Адрес начинается с http://, и ваши секреты ушли бы без шифрования: используйте адрес портала с https:// (http:// допускается только для этого компьютера, например для демо-портала на 127.0.0.1).</translation>
    </message>
    <message>
        <source>The OAuth server address must look like https://oauth.bitrix.info (http:// only on this computer): type it again.</source>
        <translation>Адрес сервера OAuth должен выглядеть как https://oauth.bitrix.info (http:// — только на этом компьютере): введите его снова.</translation>
    </message>
</context>
</TS>
